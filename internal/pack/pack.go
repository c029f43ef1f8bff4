// Package pack writes and reads a shipped index build: a zstd-compressed
// tar whose first entry, pack.json, describes the build (its id, the
// program and mapping versions that made it, the content fingerprint) and
// lists every other entry with its size and SHA-256. A reader checks each
// file against that list as it extracts, so a damaged or truncated archive
// is refused naming the file, and it writes only regular files at clean
// relative paths, within bounds on their number and sizes.
package pack

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blust/archive/internal/compress"
)

// ManifestName is the first entry of every pack, and the name the
// manifest is kept under in an unpacked build's folder.
const ManifestName = "pack.json"

// Format is the version of the layout below; a reader refuses others.
const Format = 1

// Entries are under one of two prefixes: BuildPrefix for the build's own
// files (unpacked at the build folder's top) and ContentPrefix for the
// content it was made from (unpacked into the build folder's content/).
const (
	BuildPrefix   = "build/"
	ContentPrefix = "content/"
)

// Manifest describes a pack. Files lists every entry after pack.json, in
// the order they are written.
type Manifest struct {
	Format         int       `json:"format"`
	Build          string    `json:"build"`           // the build id
	Label          string    `json:"label"`           // the build's state (id, and .N after N syncs)
	Program        string    `json:"program_version"` // the archive version that made and packed it
	MappingVersion int       `json:"mapping_version"`
	Fingerprint    string    `json:"fingerprint"` // the content fingerprint the build was made from
	Posts          int       `json:"posts"`
	BuiltAt        time.Time `json:"built_at"`
	PackedAt       time.Time `json:"packed_at"`
	// PostsDir is the posts folder inside content/ ("." when the content
	// folder is the posts folder), so a server finds them as the packer did.
	PostsDir string `json:"posts_dir"`
	Files    []File `json:"files"`
}

// File is one entry of a pack.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Limits bound what a reader accepts, so an archive cannot fill a disk or
// a memory with a forged header.
type Limits struct {
	Files        int   // entries besides pack.json
	FileSize     int64 // bytes of one entry
	Total        int64 // bytes of all entries
	ManifestSize int64 // bytes of pack.json
}

// DefaultLimits fit an archive of a few hundred thousand posts with their
// images; a pack beyond them is refused, naming the limit.
var DefaultLimits = Limits{Files: 500_000, FileSize: 8 << 30, Total: 64 << 30, ManifestSize: 128 << 20}

// Tree is a folder to pack under a prefix. Skip, if set, leaves out a
// file or a whole folder (by its slash path inside Dir).
type Tree struct {
	Prefix string
	Dir    string
	Skip   func(rel string, d fs.DirEntry) bool
}

// Write packs trees into w as zstd-compressed tar, m's Files filled in.
// Each file is read twice, once to list its checksum in pack.json (the
// first entry, so a reader can refuse a wrong version before extracting
// anything) and once to write it; a file that changed in between fails
// the pack. Only regular files are packed; symlinks and other special
// files are left out.
func Write(w io.Writer, m Manifest, trees []Tree) (Manifest, error) {
	m.Format = Format
	m.Files = nil
	var srcs []string
	for _, t := range trees {
		files, paths, err := list(t)
		if err != nil {
			return m, err
		}
		m.Files = append(m.Files, files...)
		srcs = append(srcs, paths...)
	}
	zw, err := compress.NewZstdWriter(w)
	if err != nil {
		return m, fmt.Errorf("pack: %w", err)
	}
	tw := tar.NewWriter(zw)
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("pack: %s: %w", ManifestName, err)
	}
	if err := writeEntry(tw, ManifestName, int64(len(mj)), bytes.NewReader(mj), ""); err != nil {
		return m, err
	}
	for i, f := range m.Files {
		if err := copyFile(tw, f, srcs[i]); err != nil {
			return m, err
		}
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		return m, fmt.Errorf("pack: %w", err)
	}
	return m, nil
}

// list walks one tree and checksums its regular files.
func list(t Tree) ([]File, []string, error) {
	var files []File
	var srcs []string
	err := filepath.WalkDir(t.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, rerr := filepath.Rel(t.Dir, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if t.Skip != nil && t.Skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		size, sum, herr := hashFile(p)
		if herr != nil {
			return herr
		}
		files = append(files, File{Path: t.Prefix + rel, Size: size, SHA256: sum})
		srcs = append(srcs, p)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("pack %s: %w", t.Dir, err)
	}
	return files, srcs, nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", p, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// copyFile writes one listed file, checking it is still as listed.
func copyFile(tw *tar.Writer, f File, src string) error {
	r, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	defer r.Close()
	return writeEntry(tw, f.Path, f.Size, r, f.SHA256)
}

func writeEntry(tw *tar.Writer, name string, size int64, r io.Reader, sum string) error {
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("pack %s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(r, size))
	if err != nil {
		return fmt.Errorf("pack %s: %w", name, err)
	}
	if n != size || sum != "" && hex.EncodeToString(h.Sum(nil)) != sum {
		return fmt.Errorf("pack %s: the file changed while it was being packed; pack again", name)
	}
	return nil
}

// Reader reads a pack: Open reads its manifest, Extract its files.
type Reader struct {
	zr     compress.ZstdReader
	tr     *tar.Reader
	name   string // the archive's name, for messages
	lim    Limits
	m      Manifest
	byPath map[string]File
}

// Open reads the pack's manifest from r (named name in messages) and
// checks its shape against lim. Close the Reader when done.
func Open(r io.Reader, name string, lim Limits) (*Reader, Manifest, error) {
	zr, err := compress.NewZstdReader(r, 1<<30)
	if err != nil {
		return nil, Manifest{}, fmt.Errorf("%s: %w", name, err)
	}
	rd := &Reader{zr: zr, tr: tar.NewReader(zr), name: name, lim: lim}
	if err := rd.readManifest(); err != nil {
		zr.Close()
		return nil, Manifest{}, err
	}
	return rd, rd.m, nil
}

// Close releases the decoder.
func (rd *Reader) Close() { rd.zr.Close() }

func (rd *Reader) readManifest() error {
	hdr, err := rd.tr.Next()
	if err != nil {
		return fmt.Errorf("%s: cannot read %s, its first entry (the archive is damaged or truncated, or not a pack): %w", rd.name, ManifestName, err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg {
		return fmt.Errorf("%s: not a pack: its first entry is %q, not %s", rd.name, truncate(hdr.Name), ManifestName)
	}
	if hdr.Size > rd.lim.ManifestSize {
		return fmt.Errorf("%s: %s is %d bytes, over the limit of %d", rd.name, ManifestName, hdr.Size, rd.lim.ManifestSize)
	}
	b, err := io.ReadAll(io.LimitReader(rd.tr, rd.lim.ManifestSize))
	if err != nil {
		return fmt.Errorf("%s: %s: %w (the archive is damaged or truncated)", rd.name, ManifestName, err)
	}
	// zstd checks its checksum only at the frame's end, so a flipped
	// byte in the manifest shows first as JSON that does not parse.
	if err := json.Unmarshal(b, &rd.m); err != nil {
		return fmt.Errorf("%s: %s: %w (the archive is damaged, or not a pack)", rd.name, ManifestName, err)
	}
	if rd.m.Format != Format {
		return fmt.Errorf("%s: pack format %d, this program reads format %d", rd.name, rd.m.Format, Format)
	}
	return rd.checkFiles()
}

// checkFiles checks the listed files against the limits and paths.
func (rd *Reader) checkFiles() error {
	if len(rd.m.Files) > rd.lim.Files {
		return fmt.Errorf("%s: %d files, over the limit of %d", rd.name, len(rd.m.Files), rd.lim.Files)
	}
	rd.byPath = make(map[string]File, len(rd.m.Files))
	var total int64
	for _, f := range rd.m.Files {
		if err := checkPath(f.Path); err != nil {
			return fmt.Errorf("%s: %w", rd.name, err)
		}
		if f.Size < 0 || f.Size > rd.lim.FileSize {
			return fmt.Errorf("%s: %s is %d bytes, over the limit of %d", rd.name, f.Path, f.Size, rd.lim.FileSize)
		}
		if total += f.Size; total > rd.lim.Total {
			return fmt.Errorf("%s: its files exceed the limit of %d bytes in all", rd.name, rd.lim.Total)
		}
		if _, dup := rd.byPath[f.Path]; dup {
			return fmt.Errorf("%s: %s is listed twice", rd.name, f.Path)
		}
		rd.byPath[f.Path] = f
	}
	return nil
}

// checkPath accepts a clean relative slash path under one of the two
// prefixes: no "..", no absolute path, no empty or dot segment, no
// backslash or NUL, and nothing that would land on pack.json.
func checkPath(p string) error {
	if !strings.HasPrefix(p, BuildPrefix) && !strings.HasPrefix(p, ContentPrefix) {
		return fmt.Errorf("entry %q is outside %s and %s", truncate(p), BuildPrefix, ContentPrefix)
	}
	if !fs.ValidPath(p) || strings.ContainsAny(p, "\\\x00") || path.Clean(p) != p {
		return fmt.Errorf("entry %q is not a clean relative path", truncate(p))
	}
	if p == BuildPrefix+ManifestName || p == BuildPrefix+strings.TrimSuffix(ContentPrefix, "/") || strings.HasPrefix(p, BuildPrefix+ContentPrefix) {
		return fmt.Errorf("entry %q would overwrite the unpacked %s or content", truncate(p), ManifestName)
	}
	return nil
}

// Extract writes the pack's files into dir: build/ entries at its top,
// content/ entries into dir/content/, and the manifest as pack.json.
// Every entry must be a regular file listed in the manifest, of its
// size and checksum, and every listed file must be there; the error
// names the first file that is not. Files are synced before Extract
// returns.
func (rd *Reader) Extract(dir string) error {
	seen := make(map[string]bool, len(rd.byPath))
	last := ManifestName
	for {
		hdr, err := rd.tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: after %s (%d of %d files): %w (the archive is damaged or truncated)", rd.name, last, len(seen), len(rd.byPath), err)
		}
		last = truncate(hdr.Name)
		if err := rd.extractOne(dir, hdr, seen); err != nil {
			return err
		}
	}
	if len(seen) != len(rd.byPath) {
		return fmt.Errorf("%s: truncated: %s and %d other files are missing", rd.name, rd.firstMissing(seen), len(rd.byPath)-len(seen)-1)
	}
	// The tar stream can end before the zstd frame does; reading the
	// frame to its end makes zstd check its checksum over everything,
	// the manifest included, which no per-file checksum covers.
	if _, err := io.Copy(io.Discard, io.LimitReader(rd.zr, 1<<20)); err != nil {
		return fmt.Errorf("%s: after its last file: %w (the archive is damaged)", rd.name, err)
	}
	mj, err := json.MarshalIndent(rd.m, "", "  ")
	if err != nil {
		return err
	}
	return writeSynced(filepath.Join(dir, ManifestName), bytes.NewReader(mj), int64(len(mj)), "")
}

func (rd *Reader) extractOne(dir string, hdr *tar.Header, seen map[string]bool) error {
	f, ok := rd.byPath[hdr.Name]
	switch {
	case hdr.Typeflag != tar.TypeReg:
		return fmt.Errorf("%s: entry %q is not a regular file (type %q); packs hold only files", rd.name, truncate(hdr.Name), hdr.Typeflag)
	case !ok:
		return fmt.Errorf("%s: entry %q is not listed in %s", rd.name, truncate(hdr.Name), ManifestName)
	case seen[hdr.Name]:
		return fmt.Errorf("%s: entry %s appears twice", rd.name, hdr.Name)
	case hdr.Size != f.Size:
		return fmt.Errorf("%s: %s is %d bytes, %s says %d", rd.name, hdr.Name, hdr.Size, ManifestName, f.Size)
	}
	seen[hdr.Name] = true
	dst := filepath.Join(dir, filepath.FromSlash(destPath(hdr.Name)))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("%s: %s: %w", rd.name, hdr.Name, err)
	}
	if err := writeSynced(dst, rd.tr, f.Size, f.SHA256); err != nil {
		return fmt.Errorf("%s: %s: %w", rd.name, hdr.Name, err)
	}
	return nil
}

// destPath maps an entry to its place in the build folder.
func destPath(p string) string {
	if rest, ok := strings.CutPrefix(p, BuildPrefix); ok {
		return rest
	}
	return p // content/...
}

func (rd *Reader) firstMissing(seen map[string]bool) string {
	var missing []string
	for p := range rd.byPath {
		if !seen[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	return missing[0]
}

// writeSynced writes exactly size bytes of r to a new file at dst,
// checking their SHA-256 against sum (unless empty), and syncs it.
func writeSynced(dst string, r io.Reader, size int64, sum string) error {
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	h := sha256.New()
	src := &readErrs{r: io.LimitReader(r, size)}
	n, err := io.Copy(io.MultiWriter(out, h), src)
	if err != nil && src.err != nil {
		// A read that fails inside an entry is the archive's fault (a
		// flipped byte fails zstd's own checks before ours), not the
		// disk's: say so, as a checksum mismatch would.
		err = fmt.Errorf("%w (the archive is damaged or truncated)", err)
	}
	if err == nil && n != size {
		err = fmt.Errorf("truncated: %d of %d bytes", n, size)
	}
	if err == nil && sum != "" && hex.EncodeToString(h.Sum(nil)) != sum {
		err = errors.New("checksum mismatch: the archive is damaged")
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func truncate(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// readErrs remembers whether a copy failed reading rather than writing.
type readErrs struct {
	r   io.Reader
	err error
}

func (r *readErrs) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return n, err
}
