package changes

import (
	"crypto/sha256"
	"encoding/hex"
)

// SetHash fingerprints a set of (file, content hash) pairs: the XOR of
// each pair's SHA-256. The same files with the same bytes give the same
// value in any order, and adding or removing one pair is one XOR, so an
// incremental sync updates the fingerprint without rehashing the archive.
type SetHash [sha256.Size]byte

// Toggle adds the pair, or removes it if it is in.
func (s *SetHash) Toggle(file, hash string) {
	d := sha256.Sum256([]byte(file + "\x00" + hash))
	for i := range s {
		s[i] ^= d[i]
	}
}

// String is the manifest's form: 16 hex digits.
func (s SetHash) String() string { return hex.EncodeToString(s[:])[:16] }

// HashOf fingerprints a whole state.
func HashOf(st State) SetHash {
	var s SetHash
	for _, d := range st {
		s.Toggle(d.File, d.Hash)
	}
	return s
}
