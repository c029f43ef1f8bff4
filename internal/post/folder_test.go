package post

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// postSrc is a valid post dated 2023-01-<day>.
func postSrc(title string, day int, extra ...string) string {
	lines := append([]string{"title: " + title, fmt.Sprintf("date: 2023-01-%02d", day)}, extra...)
	return fm(lines...)
}

func file(src string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(src), Mode: 0o644}
}

func slugs(posts []*Post) []string {
	var out []string
	for _, p := range posts {
		out = append(out, p.Slug)
	}
	return out
}

func problemFiles(problems []*Problem) []string {
	var out []string
	for _, p := range problems {
		out = append(out, p.File)
	}
	return out
}

func findProblem(tb testing.TB, problems []*Problem, file string) *Problem {
	tb.Helper()
	for _, p := range problems {
		if p.File == file {
			return p
		}
	}
	tb.Fatalf("no problem reported for %s; problems: %v", file, problems)
	return nil
}

func mustLoad(tb testing.TB, fsys fs.FS, opts LoadOptions) *Result {
	tb.Helper()
	r, err := Load(fsys, opts)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return r
}

func mixedFS() fstest.MapFS {
	return fstest.MapFS{
		"newest.md":               file(postSrc("Newest", 30)),
		"sub/b.markdown":          file(postSrc("B", 10)),
		"sub/deeper/a.md":         file(postSrc("A", 10)),
		"UPPER.MD":                file(postSrc("Upper", 5)),
		"crlf.md":                 file(strings.ReplaceAll(postSrc("CRLF", 4), "\n", "\r\n")),
		"bad-date.md":             file(fm("title: Bad", "date: 2023-02-30")),
		"no-front-matter.md":      file("# Just a heading\n"),
		"empty.md":                file(""),
		"one/same.md":             file(postSrc("Same one", 3)),
		"two/same.md":             file(postSrc("Same two", 3)),
		"custom.md":               file(postSrc("Custom", 2, "slug: Taken")),
		"taken.md":                file(postSrc("Taken", 2)),
		"draft.md":                file(postSrc("Draft", 1, "draft: true")),
		"_index.md":               file("not a post"),
		".hidden.md":              file("not a post"),
		"_drafts/x.md":            file("not a post"),
		".git/HEAD.md":            file("not a post"),
		"dir.md/inner.md":         file(postSrc("Inner", 6)),
		"notes.txt":               file("not markdown"),
		"image.png":               file("\x89PNG\x00"),
		"pipe.md":                 {Mode: fs.ModeNamedPipe},
		"link-in.md":              {Data: []byte("newest.md"), Mode: fs.ModeSymlink},
		"link-out.md":             {Data: []byte("../outside.md"), Mode: fs.ModeSymlink},
		"link-abs.md":             {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink},
		"sub/link-up.md":          {Data: []byte("../newest.md"), Mode: fs.ModeSymlink},
		"link-dangling.md":        {Data: []byte("gone.md"), Mode: fs.ModeSymlink},
		"link-chain.md":           {Data: []byte("link-out.md"), Mode: fs.ModeSymlink},
		"linked-dir":              {Data: []byte("sub"), Mode: fs.ModeSymlink},
		"link-through-dir.md":     {Data: []byte("linked-dir/b.markdown"), Mode: fs.ModeSymlink},
		"link-to-txt-is-fine.txt": {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink},
	}
}

func TestLoad(t *testing.T) {
	r := mustLoad(t, mixedFS(), LoadOptions{})

	t.Run("accepted posts in date order", func(t *testing.T) {
		got := slugs(r.Posts)
		want := []string{"link-in", "link-up", "newest", "a", "b", "inner", "upper", "crlf", "same", "same-2", "taken", "taken-2"}
		if !slices.Equal(got, want) {
			t.Errorf("slugs = %q, want %q", got, want)
		}
		for _, p := range r.Posts {
			if p.Slug == "crlf" && (p.Title != "CRLF" || strings.Contains(string(p.Body), "\r")) {
				t.Errorf("CRLF post = %+v, want title CRLF and LF body", meta(p))
			}
			if p.Slug == "inner" && p.File != "dir.md/inner.md" {
				t.Errorf("inner File = %q, want dir.md/inner.md", p.File)
			}
		}
	})

	t.Run("each bad file reported once, sorted", func(t *testing.T) {
		got := problemFiles(r.Problems)
		want := []string{"bad-date.md", "empty.md", "link-abs.md", "link-chain.md",
			"link-dangling.md", "link-out.md", "link-through-dir.md", "no-front-matter.md", "pipe.md"}
		if !slices.Equal(got, want) {
			t.Errorf("problem files = %q\nwant %q", got, want)
		}
	})

	t.Run("problem details", func(t *testing.T) {
		checkProblem(t, findProblem(t, r.Problems, "bad-date.md"), "bad-date.md", 3, "date", "not a real date")
		checkProblem(t, findProblem(t, r.Problems, "pipe.md"), "pipe.md", 0, "", "not a regular file (a named pipe)")
		checkProblem(t, findProblem(t, r.Problems, "link-out.md"), "link-out.md", 0, "", "symlink points outside")
		checkProblem(t, findProblem(t, r.Problems, "link-abs.md"), "link-abs.md", 0, "", "symlink points outside")
		checkProblem(t, findProblem(t, r.Problems, "link-chain.md"), "link-chain.md", 0, "", "symlink points outside")
		checkProblem(t, findProblem(t, r.Problems, "link-through-dir.md"), "link-through-dir.md", 0, "", "symlink points outside")
		checkProblem(t, findProblem(t, r.Problems, "link-dangling.md"), "link-dangling.md", 0, "", "cannot read")
	})

	t.Run("clashing slugs both load, the later file renamed with a warning", func(t *testing.T) {
		if got := problemFiles(r.Warnings); !slices.Equal(got, []string{"taken.md", "two/same.md"}) {
			t.Errorf("warnings for %q, want taken.md and two/same.md", got)
		}
		checkProblem(t, findProblem(t, r.Warnings, "two/same.md"), "two/same.md", 0, "slug", `slug "same" is also wanted by one/same.md, so this post is at "same-2"`)
		checkProblem(t, findProblem(t, r.Warnings, "taken.md"), "taken.md", 0, "slug", `slug "taken" is also wanted by custom.md, so this post is at "taken-2"`)
	})

	t.Run("drafts skipped", func(t *testing.T) {
		if want := []string{"draft.md"}; !slices.Equal(r.Drafts, want) {
			t.Errorf("Drafts = %q, want %q", r.Drafts, want)
		}
	})
}

func TestLoadIncludeDrafts(t *testing.T) {
	fsys := fstest.MapFS{
		"draft.md":     file(postSrc("Draft", 1, "draft: true")),
		"published.md": file(postSrc("Published", 2)),
		"old/draft.md": file(postSrc("Draft again", 1, "draft: yes")),
	}
	tests := []struct {
		name     string
		opts     LoadOptions
		posts    []string
		drafts   []string
		problems []string
	}{
		{"skipped by default", LoadOptions{}, []string{"published"}, []string{"draft.md", "old/draft.md"}, nil},
		// Included drafts take part in the clash check like any post.
		{"included", LoadOptions{IncludeDrafts: true}, []string{"published", "draft", "draft-2"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustLoad(t, fsys, tt.opts)
			if got := slugs(r.Posts); !slices.Equal(got, tt.posts) {
				t.Errorf("posts = %q, want %q", got, tt.posts)
			}
			if !slices.Equal(r.Drafts, tt.drafts) {
				t.Errorf("Drafts = %q, want %q", r.Drafts, tt.drafts)
			}
			if got := problemFiles(r.Problems); !slices.Equal(got, tt.problems) {
				t.Errorf("problems = %q, want %q", got, tt.problems)
			}
		})
	}
}

// hugeFS serves one file that claims to be 50 MB and fails the test if
// anything reads it: the size limit must be enforced from Stat alone.
type hugeFS struct {
	fs.FS
	tb   testing.TB
	name string
}

func (h hugeFS) Open(name string) (fs.File, error) {
	if name == h.name {
		return &hugeFile{tb: h.tb, name: name}, nil
	}
	return h.FS.Open(name)
}

type hugeFile struct {
	tb   testing.TB
	name string
}

func (f *hugeFile) Stat() (fs.FileInfo, error) { return hugeInfo(f.name), nil }
func (f *hugeFile) Close() error               { return nil }
func (f *hugeFile) Read([]byte) (int, error) {
	f.tb.Errorf("%s was read; a file over the limit must be rejected from its size alone", f.name)
	return 0, io.EOF
}

type hugeInfo string

func (i hugeInfo) Name() string       { return filepath.Base(string(i)) }
func (i hugeInfo) Size() int64        { return 50 << 20 }
func (i hugeInfo) Mode() fs.FileMode  { return 0o644 }
func (i hugeInfo) ModTime() time.Time { return time.Time{} }
func (i hugeInfo) IsDir() bool        { return false }
func (i hugeInfo) Sys() any           { return nil }

func TestLoadRejectsHugeFileWithoutReading(t *testing.T) {
	fsys := hugeFS{FS: fstest.MapFS{
		"huge.md": file("listed in the directory; content served by hugeFS"),
		"ok.md":   file(postSrc("OK", 1)),
	}, tb: t, name: "huge.md"}
	r := mustLoad(t, fsys, LoadOptions{})
	if got := slugs(r.Posts); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("posts = %q, want [ok]", got)
	}
	if len(r.Problems) != 1 {
		t.Fatalf("problems = %v, want one for huge.md", r.Problems)
	}
	checkProblem(t, r.Problems[0], "huge.md", 0, "", "file is 52428800 bytes (50.0 MiB), over the 8388608-byte (8.0 MiB) limit")

	_, err := LoadFile(fsys, "huge.md", LoadOptions{})
	checkProblem(t, asProblem(t, err), "huge.md", 0, "", "over the 8388608-byte")
}

func TestLoadMaxFileSize(t *testing.T) {
	src := postSrc("Small", 1)
	fsys := fstest.MapFS{"small.md": file(src)}
	tests := []struct {
		name  string
		limit int64
		ok    bool
	}{
		{"default", 0, true},
		{"exactly at the limit", int64(len(src)), true},
		{"one byte over", int64(len(src)) - 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFile(fsys, "small.md", LoadOptions{MaxFileSize: tt.limit})
			if got := err == nil; got != tt.ok {
				t.Errorf("LoadFile with limit %d: err = %v, want ok = %v", tt.limit, err, tt.ok)
			}
		})
	}
}

// lyingFS reports a tiny size in Stat but serves more bytes, as a file
// growing between stat and read would.
type lyingFS struct{ fstest.MapFS }

func (l lyingFS) Open(name string) (fs.File, error) {
	f, err := l.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return lyingFile{f}, nil
}

type lyingFile struct{ fs.File }

func (f lyingFile) Stat() (fs.FileInfo, error) { return tinyInfo{}, nil }

type tinyInfo struct{ hugeInfo }

func (tinyInfo) Size() int64 { return 1 }

func TestLoadFileLimitsReadsEvenIfStatLies(t *testing.T) {
	fsys := lyingFS{fstest.MapFS{"grown.md": file(postSrc("Grown", 1) + strings.Repeat("x", 100))}}
	_, err := LoadFile(fsys, "grown.md", LoadOptions{MaxFileSize: 50})
	checkProblem(t, asProblem(t, err), "grown.md", 0, "", "over the 50-byte")
}

// errFS fails to open the named paths, like files without read permission.
type errFS struct {
	fstest.MapFS
	fail map[string]bool
}

func (e errFS) Open(name string) (fs.File, error) {
	if e.fail[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return e.MapFS.Open(name)
}

// ReadDir hides MapFS's own ReadDir, which would bypass Open.
func (e errFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if e.fail[name] {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
	}
	return e.MapFS.ReadDir(name)
}

func TestLoadUnreadable(t *testing.T) {
	fsys := errFS{
		MapFS: fstest.MapFS{
			"locked.md":   file(postSrc("Locked", 1)),
			"secret/a.md": file(postSrc("Secret", 1)),
			"fine.md":     file(postSrc("Fine", 1)),
			"locked.txt":  file("ignored, not markdown"),
		},
		fail: map[string]bool{"locked.md": true, "secret": true, "locked.txt": true},
	}
	r := mustLoad(t, fsys, LoadOptions{})
	if got := slugs(r.Posts); !slices.Equal(got, []string{"fine"}) {
		t.Errorf("posts = %q, want [fine]", got)
	}
	if got, want := problemFiles(r.Problems), []string{"locked.md", "secret"}; !slices.Equal(got, want) {
		t.Fatalf("problems = %v, want files %q", r.Problems, want)
	}
	for _, p := range r.Problems {
		if !errors.Is(p, fs.ErrPermission) {
			t.Errorf("problem %v does not wrap fs.ErrPermission", p)
		}
	}
}

func TestLoadRootFailure(t *testing.T) {
	_, err := Load(os.DirFS(filepath.Join(t.TempDir(), "missing")), LoadOptions{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load on a missing root: err = %v, want one wrapping fs.ErrNotExist", err)
	}
}

func TestLoadEmptyFolder(t *testing.T) {
	r := mustLoad(t, fstest.MapFS{}, LoadOptions{})
	if len(r.Posts)+len(r.Problems)+len(r.Drafts) != 0 {
		t.Errorf("Load of an empty folder = %+v, want nothing", r)
	}
}

func TestLoadFile(t *testing.T) {
	fsys := mixedFS()
	tests := []struct {
		name     string
		file     string
		slug     string // "" when a problem is expected
		msg      string
		notExist bool
	}{
		{"post", "sub/deeper/a.md", "a", "", false},
		{"draft is returned", "draft.md", "draft", "", false},
		{"symlink inside", "link-in.md", "link-in", "", false},
		{"bad post", "bad-date.md", "", "not a real date", false},
		{"symlink outside", "link-out.md", "", "symlink points outside", false},
		{"directory", "dir.md", "", "not a regular file (a directory)", false},
		{"missing", "gone.md", "", "cannot read", true},
		{"invalid path", "../x.md", "", "cannot read", true},
		{"through a linked directory", "linked-dir/b.markdown", "", "goes through a symlinked directory", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := LoadFile(fsys, tt.file, LoadOptions{})
			if tt.slug != "" {
				if err != nil {
					t.Fatalf("LoadFile(%q): %v", tt.file, err)
				}
				if p.Slug != tt.slug || p.File != tt.file {
					t.Errorf("LoadFile(%q) = slug %q file %q, want %q %q", tt.file, p.Slug, p.File, tt.slug, tt.file)
				}
				return
			}
			prob := asProblem(t, err)
			if prob.File != tt.file || !strings.Contains(prob.Msg, tt.msg) {
				t.Errorf("LoadFile(%q) problem = %v, want one for the file containing %q", tt.file, prob, tt.msg)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", got, tt.notExist)
			}
		})
	}
}

// TestLoadOSSymlinks checks link handling on a real directory, where
// os.DirFS would otherwise follow a link anywhere on the machine.
func TestLoadOSSymlinks(t *testing.T) {
	root := t.TempDir()
	content := filepath.Join(root, "content")
	writeFile(t, filepath.Join(root, "outside.md"), postSrc("Outside", 1))
	writeFile(t, filepath.Join(content, "post.md"), postSrc("Post", 2))
	writeFile(t, filepath.Join(root, "elsewhere", "x.md"), postSrc("Elsewhere", 3))
	links := map[string]string{
		"alias.md":   "post.md",
		"out.md":     "../outside.md",
		"abs.md":     filepath.Join(root, "outside.md"),
		"linkdir":    "../elsewhere",
		"through.md": "linkdir/x.md",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(content, name)); err != nil {
			t.Skipf("cannot create symlinks here: %v", err)
		}
	}
	r := mustLoad(t, os.DirFS(content), LoadOptions{})
	if got, want := slugs(r.Posts), []string{"alias", "post"}; !slices.Equal(got, want) {
		t.Errorf("posts = %q, want %q", got, want)
	}
	if got, want := problemFiles(r.Problems), []string{"abs.md", "out.md", "through.md"}; !slices.Equal(got, want) {
		t.Errorf("problems = %v, want files %q", r.Problems, want)
	}
}

func writeFile(tb testing.TB, name, data string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestLoadPostsSortedByDateThenSlug(t *testing.T) {
	fsys := fstest.MapFS{
		"c.md": file(postSrc("C", 2)),
		"a.md": file(postSrc("A", 2)),
		"b.md": file(postSrc("B", 3)),
		"d.md": file(fm("title: D", "date: 2023-01-02T12:00:00Z")),
	}
	r := mustLoad(t, fsys, LoadOptions{})
	if got, want := slugs(r.Posts), []string{"b", "d", "a", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestIsPostFile(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.md", true},
		{"a.markdown", true},
		{"UPPER.MD", true},
		{"sub/dir/a.md", true},
		{"202012 -bitswap-jump-01.md", true},
		{"a.txt", false},
		{"md", false},
		{"_index.md", false},
		{".hidden.md", false},
		{"_drafts/a.md", false},
		{".git/a.md", false},
		{"sub/.a.md.swp", false},
		{"a.mdx", true},
		{"bundle/index.md", true},
		{"bundle/INDEX.MDX", true},
		{"index.md", false}, // the posts folder's own list page
		{"README.md", false},
		{"sub/readme.markdown", false},
		{"blog.README.md", false},
		{"LICENSE.md", false},
		{"license.md", true}, // lowercase: perhaps a post about licences
		{"node_modules/pkg/a.md", false},
		{"a.md.bak", false},
	}
	for _, tt := range tests {
		if got := IsPostFile(tt.name); got != tt.want {
			t.Errorf("IsPostFile(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
