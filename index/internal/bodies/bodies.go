// Package bodies keeps the plain text of posts in one append-only file
// beside the index, read back with pread by a reference the index stores.
//
// Why not bleve's stored fields: bleve maps its whole segment file into
// memory, and every page a search reads stays in the process's resident
// memory. A hit's snippet needs its body, and the kernel maps 64 KB around
// each page read, so serving the query mix at 100,000 posts kept about
// 250 MB of bodies resident. Elasticsearch's default store splits files
// the same way: term dictionaries, postings and doc values are mapped,
// stored fields are read with pread.
//
// A record is a CRC-32C of its payload followed by the snappy-compressed
// parts (a post's text and the outline of its headings, say), each after
// its length. A reference is the record's offset and length, so reading
// a body is one pread, and a damaged record or a reference into the
// wrong file is reported rather than shown.
package bodies

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/golang/snappy"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const crcSize = 4

// Pack compresses parts into one record. It is what Append writes;
// callers pack on their own goroutines so that the file's one writer
// only copies.
func Pack(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += binary.MaxVarintLen64 + len(p)
	}
	raw := make([]byte, 0, n)
	for _, p := range parts {
		raw = binary.AppendUvarint(raw, uint64(len(p)))
		raw = append(raw, p...)
	}
	buf := make([]byte, crcSize+snappy.MaxEncodedLen(len(raw)))
	rec := buf[:crcSize+len(snappy.Encode(buf[crcSize:], raw))] // encodes in place
	binary.LittleEndian.PutUint32(rec, crc32.Checksum(rec[crcSize:], castagnoli))
	return rec
}

// Ref locates a record in a file.
type Ref struct {
	Off int64
	Len int
}

// String is the reference as the index stores it: "offset.length".
func (r Ref) String() string {
	return strconv.FormatInt(r.Off, 10) + "." + strconv.Itoa(r.Len)
}

// ParseRef reads a reference written by Ref.String.
func ParseRef(s string) (Ref, error) {
	off, n, ok := strings.Cut(s, ".")
	o, err1 := strconv.ParseInt(off, 10, 64)
	l, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || o < 0 || l < crcSize {
		return Ref{}, fmt.Errorf("body reference %q: want offset.length", s)
	}
	return Ref{Off: o, Len: l}, nil
}

// File is one build's bodies. Reads may run concurrently with each other
// and with one appender.
type File struct {
	path string
	f    *os.File

	mu   sync.Mutex // guards size and appends
	size int64      // where the next record goes
}

// Create makes a new, empty file at path; it fails if one is there.
func Create(path string) (*File, error) {
	return open(path, os.O_RDWR|os.O_CREATE|os.O_EXCL)
}

// Open opens the existing file at path for reading and appending. It
// appends after whatever the file holds, including a record cut short by
// a crash, which nothing references.
func Open(path string) (*File, error) {
	return open(path, os.O_RDWR)
}

func open(path string, flag int) (*File, error) {
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, fmt.Errorf("bodies: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("bodies: %w", err)
	}
	return &File{path: path, f: f, size: st.Size()}, nil
}

// Path is the file's path.
func (b *File) Path() string { return b.path }

// Append writes a record made by Pack and returns its reference. The
// record is readable at once; Sync makes it durable.
func (b *File) Append(rec []byte) (Ref, error) {
	if len(rec) < crcSize {
		return Ref{}, fmt.Errorf("bodies %s: append: a record of %d bytes is not one Pack made", b.path, len(rec))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	off := b.size
	if _, err := b.f.WriteAt(rec, off); err != nil {
		return Ref{}, fmt.Errorf("bodies %s: append: %w", b.path, err)
	}
	b.size += int64(len(rec))
	return Ref{Off: off, Len: len(rec)}, nil
}

// Sync flushes the appended records to the disk.
func (b *File) Sync() error {
	if err := b.f.Sync(); err != nil {
		return fmt.Errorf("bodies %s: sync: %w", b.path, err)
	}
	return nil
}

// ErrDamaged reports a record whose bytes are not those appended, or a
// reference past the end of the file.
var ErrDamaged = errors.New("damaged body record")

// readBufs holds the compressed records being read: a page of hits reads
// ten bodies, and their buffers were most of a read's cost in garbage.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooled keeps the buffer of an outsized record from staying around.
const maxPooled = 1 << 20

// Read returns the parts of the record at ref.
func (b *File) Read(ref Ref) ([]string, error) {
	bp := readBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooled {
			readBufs.Put(bp)
		}
	}()
	*bp = slices.Grow((*bp)[:0], ref.Len)[:ref.Len]
	buf := *bp
	if _, err := b.f.ReadAt(buf, ref.Off); err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: %s is past the end of the file", ErrDamaged, ref)
		}
		return nil, fmt.Errorf("bodies %s: read %s: %w", b.path, ref, err)
	}
	if binary.LittleEndian.Uint32(buf) != crc32.Checksum(buf[crcSize:], castagnoli) {
		return nil, fmt.Errorf("bodies %s: read %s: %w: checksum mismatch", b.path, ref, ErrDamaged)
	}
	n, err := snappy.DecodedLen(buf[crcSize:])
	var raw []byte
	if err == nil {
		raw, err = snappy.Decode(make([]byte, n), buf[crcSize:])
	}
	var parts []string
	if err == nil {
		parts, err = split(raw)
	}
	if err != nil {
		return nil, fmt.Errorf("bodies %s: read %s: %w: %w", b.path, ref, ErrDamaged, err)
	}
	return parts, nil
}

// split cuts a record's payload into its parts, which share its memory:
// raw is the caller's own and never written again.
func split(raw []byte) ([]string, error) {
	var parts []string
	for len(raw) > 0 {
		n, w := binary.Uvarint(raw)
		if w <= 0 || n > uint64(len(raw)-w) {
			return nil, errors.New("a part runs past the record")
		}
		p := raw[w : w+int(n)]
		parts = append(parts, unsafe.String(unsafe.SliceData(p), len(p)))
		raw = raw[w+int(n):]
	}
	return parts, nil
}

// Close closes the file.
func (b *File) Close() error {
	if err := b.f.Close(); err != nil {
		return fmt.Errorf("bodies %s: close: %w", b.path, err)
	}
	return nil
}
