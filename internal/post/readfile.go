package post

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// DefaultMaxFileSize is the size limit used when LoadOptions.MaxFileSize is
// 0. The largest real post is about 50 KB; anything near this is a mistake
// (an embedded data dump, a misnamed binary) that would bloat the index.
const DefaultMaxFileSize = 8 << 20

// maxLinkHops bounds symlink chains, as the kernel's ELOOP limit does.
const maxLinkHops = 40

// LoadOptions tunes Load and LoadFile; the zero value is ready to use.
type LoadOptions struct {
	MaxFileSize   int64 // bytes; 0 means DefaultMaxFileSize. Bigger files are rejected without being read.
	IncludeDrafts bool  // drafts are skipped (not rejected) unless set
	// Authors resolves author ids to names. nil: Load and LoadFile read
	// the authors file at the root of the posts folder (see ReadAuthors)
	// themselves; a caller loading many files one by one reads it once
	// and sets it here.
	Authors *Authors
}

// withAuthors returns o with Authors read from fsys if it is not set.
func (o LoadOptions) withAuthors(fsys fs.FS) LoadOptions {
	if o.Authors == nil {
		o.Authors = ReadAuthors(fsys, ".")
	}
	return o
}

func (o LoadOptions) maxSize() int64 {
	if o.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return o.MaxFileSize
}

// LoadFile stats, reads and parses one file of fsys under the same rules as
// Load: it must be a regular file (or a symlink to one inside fsys) within
// the size limit. The error is always a *Problem; for a missing file it
// wraps fs.ErrNotExist, so errors.Is tells a deleted post from a broken one.
// LoadFile returns drafts like any other post; the caller decides.
func LoadFile(fsys fs.FS, file string, opts LoadOptions) (*Post, error) {
	post, p := loadOne(fsys, file, opts.withAuthors(fsys))
	if p != nil {
		return nil, p
	}
	return post, nil
}

func loadOne(fsys fs.FS, name string, opts LoadOptions) (*Post, *Problem) {
	info, p := statRegular(fsys, name)
	if p != nil {
		return nil, p
	}
	limit := opts.maxSize()
	if info.Size() > limit {
		return nil, tooLarge(name, info.Size(), limit)
	}
	data, err := readLimited(fsys, name, limit)
	if err != nil {
		return nil, readProblem(name, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(name, -1, limit) // it grew after Stat
	}
	return parse(name, data, opts.Authors)
}

// statRegular checks, without reading, that name is a regular file or a
// symlink that stays inside fsys and ends at one.
func statRegular(fsys fs.FS, name string) (fs.FileInfo, *Problem) {
	if linkedDir(fsys, name) {
		return nil, &Problem{File: name,
			Msg: "path goes through a symlinked directory, which may lead outside the content folder",
			Fix: "copy the post into the folder instead of linking to it"}
	}
	info, err := fs.Lstat(fsys, name)
	if err != nil {
		return nil, readProblem(name, err)
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if p := checkLink(fsys, name); p != nil {
			return nil, p
		}
		if info, err = fs.Stat(fsys, name); err != nil {
			return nil, readProblem(name, err)
		}
	}
	if !info.Mode().IsRegular() {
		return nil, &Problem{File: name,
			Msg: "not a regular file (" + typeName(info.Mode()) + ")",
			Fix: "replace it with a plain Markdown file or rename it so it does not end in .md"}
	}
	return info, nil
}

// checkLink follows a symlink chain and refuses it if any step leaves
// fsys: os.DirFS would happily follow a link to /etc, and the archive must
// publish only what is in its content folder.
func checkLink(fsys fs.FS, name string) *Problem {
	cur := name
	for range maxLinkHops {
		target, err := fs.ReadLink(fsys, cur)
		if err != nil {
			return readProblem(name, err)
		}
		next := path.Join(path.Dir(cur), filepath.ToSlash(target))
		if path.IsAbs(target) || filepath.IsAbs(target) || !fs.ValidPath(next) || linkedDir(fsys, next) {
			return outside(name, target)
		}
		info, err := fs.Lstat(fsys, next)
		if err != nil {
			return readProblem(name, err)
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return nil
		}
		cur = next
	}
	return &Problem{File: name, Msg: "too many levels of symlinks",
		Fix: "point the link straight at the post"}
}

func outside(name, target string) *Problem {
	return &Problem{File: name,
		Msg: fmt.Sprintf("symlink points outside the content folder (to %s)", target),
		Fix: "copy the post into the folder instead of linking to it"}
}

// linkedDir reports whether a directory on the way to name is a symlink;
// such a path may lead anywhere, so it counts as outside.
func linkedDir(fsys fs.FS, name string) bool {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if info, err := fs.Lstat(fsys, dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			return true
		}
	}
	return false
}

// readLimited reads at most limit+1 bytes, so a file that grew after it
// was stat'ed, or an FS that misreports sizes, still cannot exhaust memory.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

func readProblem(name string, err error) *Problem {
	return &Problem{File: name, Msg: "cannot read: " + err.Error(),
		Fix: "check that it exists and is readable", err: err}
}

// tooLarge reports a file over limit; size is -1 when only reading found out.
func tooLarge(name string, size, limit int64) *Problem {
	what := "file is"
	if size >= 0 {
		what = fmt.Sprintf("file is %d bytes (%s),", size, mib(size))
	}
	return &Problem{File: name,
		Msg: fmt.Sprintf("%s over the %d-byte (%s) limit", what, limit, mib(limit)),
		Fix: "split the post or move embedded data out of it, or raise MaxFileSize"}
}

func mib(n int64) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.Type().String()
}

// IsPostFile reports whether Load would read the slash-separated path
// name: it ends in .md, .markdown or .mdx (any case), no element of it
// starts with "." or "_" (Hugo's _index.md section pages, .git, _drafts),
// it is not a repository document (README.md, LICENSE.md, CHANGELOG.md …)
// and not the posts folder's own index.md (a list page; a folder's
// index.md is a page bundle's post). The incremental updater uses it to
// filter change events the same way before calling LoadFile, which does
// not filter.
func IsPostFile(name string) bool {
	base := path.Base(name)
	if !isPostExt(base) || isRepoDoc(base) || (name == base && isBundleIndex(base)) {
		return false
	}
	for _, elem := range strings.Split(name, "/") {
		if isIgnored(elem) {
			return false
		}
	}
	return true
}

// isPostExt reports a Markdown post's extension: .md, .markdown or .mdx.
func isPostExt(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdx":
		return true
	}
	return false
}

// isRepoDoc matches the documents a repository keeps beside its content
// (README.md, LICENSE.md, CONTRIBUTING.md …): they describe the site, they
// are not posts. Only the all-capitals spelling counts, plus any readme,
// so a post called license.md about licences is still a post.
func isRepoDoc(base string) bool {
	stem := strings.TrimSuffix(base, path.Ext(base))
	if strings.EqualFold(stem, "readme") || strings.EqualFold(path.Ext(stem), ".readme") { // README.md, notes.README.md
		return true
	}
	switch stem {
	case "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING", "CODE_OF_CONDUCT", "SECURITY", "AUTHORS", "NOTICE":
		return true
	}
	return false
}

// isIgnored matches names that Hugo and editors use for non-posts:
// _index.md section pages, .git, .obsidian, Vim swap files and the like,
// and node_modules, where Markdown is package documentation.
func isIgnored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "node_modules"
}
