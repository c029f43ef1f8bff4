package pack

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/internal/compress"
)

func TestWriteThenExtract(t *testing.T) {
	build, content := t.TempDir(), t.TempDir()
	write(t, filepath.Join(build, "manifest.json"), `{"id":"x"}`)
	write(t, filepath.Join(build, "bleve", "store", "root.bolt"), strings.Repeat("b", 70000))
	write(t, filepath.Join(build, "build.lock"), "")
	write(t, filepath.Join(content, "posts", "a.md"), "# A\n")
	write(t, filepath.Join(content, ".git", "HEAD"), "ref")
	if err := os.Symlink("/etc/passwd", filepath.Join(content, "posts", "link.md")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m, err := Write(&buf, Manifest{Build: "x", Program: "v1", PostsDir: "posts"}, []Tree{
		{Prefix: BuildPrefix, Dir: build, Skip: func(rel string, _ os.DirEntry) bool { return rel == "build.lock" }},
		{Prefix: ContentPrefix, Dir: content, Skip: func(rel string, d os.DirEntry) bool { return strings.HasPrefix(d.Name(), ".") }},
	})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range m.Files {
		paths = append(paths, f.Path)
	}
	want := "build/bleve/store/root.bolt build/manifest.json content/posts/a.md"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("packed %s, want %s (no lock, hidden file or symlink)", got, want)
	}
	dst := t.TempDir()
	rd, got, err := Open(&buf, "x.tar.zst", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if got.Program != "v1" || got.Format != Format || len(got.Files) != 3 {
		t.Errorf("manifest read back = %+v", got)
	}
	if err := rd.Extract(dst); err != nil {
		t.Fatal(err)
	}
	for p, body := range map[string]string{"manifest.json": `{"id":"x"}`, "content/posts/a.md": "# A\n", ManifestName: ""} {
		b, err := os.ReadFile(filepath.Join(dst, p))
		if err != nil || body != "" && string(b) != body {
			t.Errorf("%s = %q, %v; want %q", p, b, err, body)
		}
	}
}

// entry is one tar entry of a hand-made archive.
type entry struct {
	name string
	typ  byte
	body string
}

// forge writes a pack by hand: pack.json listing listed, then entries.
func forge(t *testing.T, listed []File, entries []entry) []byte {
	t.Helper()
	mj, _ := json.Marshal(Manifest{Format: Format, Build: "x", Files: listed})
	var buf bytes.Buffer
	zw, _ := compress.NewZstdWriter(&buf)
	tw := tar.NewWriter(zw)
	all := append([]entry{{ManifestName, tar.TypeReg, string(mj)}}, entries...)
	for _, e := range all {
		hdr := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body))}
		if e.typ == tar.TypeSymlink {
			hdr.Linkname, hdr.Size = "/etc/passwd", 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if e.typ == tar.TypeReg {
			tw.Write([]byte(e.body))
		}
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func listed(name, body string) File {
	sum := sha256.Sum256([]byte(body))
	return File{Path: name, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
}

// TestRefused: every damaged or hostile archive is refused, naming the
// entry, and nothing is written outside the destination.
func TestRefused(t *testing.T) {
	good := listed("build/bodies", "hello")
	bad := good
	bad.SHA256 = strings.Repeat("0", 64)
	cases := []struct {
		name    string
		listed  []File
		entries []entry
		lim     Limits
		want    string
	}{
		{"bad checksum", []File{bad}, []entry{{"build/bodies", tar.TypeReg, "hello"}}, DefaultLimits, "build/bodies: checksum mismatch"},
		{"missing file", []File{good, listed("build/manifest.json", "{}")}, []entry{{"build/bodies", tar.TypeReg, "hello"}}, DefaultLimits, "truncated: build/manifest.json"},
		{"unlisted file", []File{good}, []entry{{"build/bodies", tar.TypeReg, "hello"}, {"build/extra", tar.TypeReg, "x"}}, DefaultLimits, `"build/extra" is not listed`},
		{"size differs", []File{good}, []entry{{"build/bodies", tar.TypeReg, "hello!"}}, DefaultLimits, "build/bodies is 6 bytes"},
		{"dot-dot", []File{listed("build/../../escape", "x")}, nil, DefaultLimits, "not a clean relative path"},
		{"absolute", []File{listed("/etc/escape", "x")}, nil, DefaultLimits, "outside build/ and content/"},
		{"outside prefixes", []File{listed("escape", "x")}, nil, DefaultLimits, "outside build/ and content/"},
		{"onto pack.json", []File{listed("build/pack.json", "x")}, nil, DefaultLimits, "would overwrite"},
		{"symlink", []File{good}, []entry{{"build/bodies", tar.TypeSymlink, ""}}, DefaultLimits, "not a regular file"},
		{"too many files", []File{good, listed("build/a", "a")}, nil, Limits{Files: 1, FileSize: 10, Total: 10, ManifestSize: 1 << 20}, "2 files, over the limit of 1"},
		{"file too big", []File{good}, nil, Limits{Files: 9, FileSize: 4, Total: 10, ManifestSize: 1 << 20}, "build/bodies is 5 bytes, over the limit of 4"},
		{"too big in all", []File{good, listed("build/a", "abcde")}, nil, Limits{Files: 9, FileSize: 9, Total: 9, ManifestSize: 1 << 20}, "exceed the limit of 9 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "build")
			os.Mkdir(dst, 0o755)
			err := extract(forge(t, c.listed, c.entries), dst, c.lim)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
			if _, serr := os.Stat(filepath.Join(filepath.Dir(dst), "escape")); serr == nil {
				t.Errorf("a file was written outside the destination")
			}
		})
	}
}

// TestTruncated: an archive cut short anywhere is refused.
func TestTruncated(t *testing.T) {
	body := strings.Repeat("some text that compresses a little, 0123456789 ", 4000)
	data := forge(t, []File{listed("build/bodies", body), listed("build/vocab", "v")},
		[]entry{{"build/bodies", tar.TypeReg, body}, {"build/vocab", tar.TypeReg, "v"}})
	for _, n := range []int{len(data) / 3, len(data) / 2, len(data) - 20} {
		err := extract(data[:n], t.TempDir(), DefaultLimits)
		if err == nil || !strings.Contains(err.Error(), "x.tar.zst") {
			t.Errorf("cut at %d of %d: err = %v, want a refusal naming the archive", n, len(data), err)
		}
	}
}

func extract(data []byte, dst string, lim Limits) error {
	rd, _, err := Open(bytes.NewReader(data), "x.tar.zst", lim)
	if err != nil {
		return err
	}
	defer rd.Close()
	return rd.Extract(dst)
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A byte flipped anywhere in the archive is refused, and the message says
// the archive is damaged or truncated (or names a listed-file mismatch),
// wherever the flip lands: in zstd's framing, a block, or a file's bytes.
func TestFlippedByteAnywhereSaysDamaged(t *testing.T) {
	body := strings.Repeat("some text that compresses a little, 0123456789 ", 4000)
	data := forge(t, []File{listed("build/bodies", body), listed("build/vocab", "v")},
		[]entry{{"build/bodies", tar.TypeReg, body}, {"build/vocab", tar.TypeReg, "v"}})
	for i := 0; i < 40; i++ {
		at := len(data) * i / 40
		bad := append([]byte(nil), data...)
		bad[at] ^= 0x55
		err := extract(bad, t.TempDir(), DefaultLimits)
		if err == nil {
			t.Errorf("flip at %d of %d: unpacked", at, len(data))
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "x.tar.zst") || !(strings.Contains(msg, "damaged") || strings.Contains(msg, "truncated") || strings.Contains(msg, "says")) {
			t.Errorf("flip at %d of %d: %q does not name the archive and say it is damaged", at, len(data), msg)
		}
	}
}
