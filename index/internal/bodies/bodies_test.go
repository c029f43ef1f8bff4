package bodies

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/golang/snappy"
)

// read1 reads a record of one part.
func read1(f *File, r Ref) (string, error) {
	parts, err := f.Read(r)
	if err != nil {
		return "", err
	}
	if len(parts) != 1 {
		return "", errors.New("not one part")
	}
	return parts[0], nil
}

func TestAppendRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodies")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "peer-to-peer", strings.Repeat("Filecoin stores data. ", 2000), "Łódź — 東京 <script>"}
	refs := make([]Ref, len(texts))
	for i, s := range texts {
		if refs[i], err = f.Append(Pack(s)); err != nil {
			t.Fatal(err)
		}
	}
	if refs[2].Len >= len(texts[2]) {
		t.Errorf("a repetitive text of %d bytes took %d: not compressed", len(texts[2]), refs[2].Len)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		got, err := read1(f, refs[i])
		if err != nil || got != s {
			t.Errorf("Read(%v) = %.40q, %v; want %.40q", refs[i], got, err, s)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened, old references still read and new records go after them.
	f, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, err := f.Append(Pack("after"))
	if err != nil {
		t.Fatal(err)
	}
	last := refs[len(refs)-1]
	if ref.Off != last.Off+int64(last.Len) {
		t.Errorf("reopened file appended at %d, want %d", ref.Off, last.Off+int64(last.Len))
	}
	for i, r := range append(refs, ref) {
		want := "after"
		if i < len(texts) {
			want = texts[i]
		}
		if got, err := read1(f, r); err != nil || got != want {
			t.Errorf("after reopening, Read(%v) = %.40q, %v", r, got, err)
		}
	}
}

func TestDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodies")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, _ := f.Append(Pack("first body"))
	b, err := f.Append(Pack("second body"))
	if err != nil {
		t.Fatal(err)
	}
	// Flip one byte of the second record's payload on disk.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[b.Off+crcSize+2] ^= 0xff
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ref  Ref
	}{
		{"flipped byte", b},
		{"past the end", Ref{Off: b.Off, Len: b.Len + 100}},
		{"wrong length", Ref{Off: a.Off, Len: a.Len - 1}},
		{"misaligned", Ref{Off: a.Off + 1, Len: a.Len}},
	} {
		got, err := read1(f, tc.ref)
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: Read = %q, %v; want ErrDamaged", tc.name, got, err)
			continue
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q does not name the file", tc.name, err)
		}
	}
	if got, err := read1(f, a); err != nil || got != "first body" {
		t.Errorf("the undamaged record: %q, %v", got, err)
	}
}

func TestParts(t *testing.T) {
	f, err := Create(filepath.Join(t.TempDir(), "bodies"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, parts := range [][]string{{}, {""}, {"", ""}, {"text", `[{"h":"Heading","s":0}]`}, {strings.Repeat("é", 300), "", "third"}} {
		r, err := f.Append(Pack(parts...))
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Read(r)
		if err != nil || len(got) != len(parts) || !slices.Equal(got, parts) {
			t.Errorf("Pack(%q) read back as %q, %v", parts, got, err)
		}
	}

	// A record whose checksum holds but whose part runs past its end
	// (written by something else than Pack) is damaged too.
	raw := binary.AppendUvarint(nil, 50)
	raw = append(raw, "short"...)
	rec := make([]byte, crcSize, 64)
	rec = append(rec, snappy.Encode(nil, raw)...)
	binary.LittleEndian.PutUint32(rec, crc32.Checksum(rec[crcSize:], castagnoli))
	r, err := f.Append(rec)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.Read(r); !errors.Is(err, ErrDamaged) {
		t.Errorf("a part longer than its record: %q, %v", got, err)
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		in  string
		ok  bool
		ref Ref
	}{
		{"0.4", true, Ref{0, 4}},
		{"123456789012.77", true, Ref{123456789012, 77}},
		{"", false, Ref{}},
		{"12", false, Ref{}},
		{"-1.10", false, Ref{}},
		{"1.3", false, Ref{}}, // shorter than a checksum
		{"1.x", false, Ref{}},
	} {
		got, err := ParseRef(tc.in)
		if (err == nil) != tc.ok || got != tc.ref {
			t.Errorf("ParseRef(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tc.in)
		}
	}
}

// Readers see every record appended before they asked, while appends go on.
func TestReadWhileAppending(t *testing.T) {
	f, err := Create(filepath.Join(t.TempDir(), "bodies"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	refs := make(chan Ref, 500)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(refs)
		for i := range 500 {
			r, err := f.Append(Pack(strings.Repeat("x", i)))
			if err != nil {
				t.Error(err)
				return
			}
			refs <- r
		}
	})
	i := 0
	for r := range refs {
		got, err := read1(f, r)
		if err != nil || len(got) != i {
			t.Fatalf("record %d: %d bytes, %v", i, len(got), err)
		}
		i++
	}
	wg.Wait()
}

// A build whose bodies file is gone fails to open, naming the file,
// rather than answering every snippet with a damaged record; and a new
// file never appends to an old one.
func TestOpenAndCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodies")
	if _, err := Open(path); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("opening a missing file: %v", err)
	}
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Create(path); !errors.Is(err, os.ErrExist) {
		t.Errorf("creating over an existing file: %v", err)
	}
}

func FuzzPack(f *testing.F) {
	f.Add("peer-to-peer")
	f.Add("")
	f.Add("\xff\xfe invalid utf-8")
	path := filepath.Join(f.TempDir(), "bodies")
	b, err := Create(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := b.Append(Pack(s))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := read1(b, r); err != nil || got != s {
			t.Fatalf("round trip of %q: %q, %v", s, got, err)
		}
	})
}

// BenchmarkRead reads one post-sized record, as each hit with snippets
// does: go test ./index/internal/bodies -run '^$' -bench Read
func BenchmarkRead(b *testing.B) {
	// Varied words, so the record compresses about as a post does.
	r := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for sb.Len() < 10_000 {
		for range 3 + r.IntN(6) {
			sb.WriteByte(byte('a' + r.IntN(26)))
		}
		sb.WriteByte(" .\n"[r.IntN(3)])
	}
	text := sb.String()
	f, err := Create(filepath.Join(b.TempDir(), "bodies"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ref, err := f.Append(Pack(text, `[{"h":"Heading","a":"heading","s":0}]`))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		parts, err := f.Read(ref)
		if err != nil || len(parts[0]) != len(text) {
			b.Fatalf("read %d parts, %v", len(parts), err)
		}
	}
}
