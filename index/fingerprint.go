package index

import (
	"crypto/sha256"
	"encoding/hex"
)

// setHash fingerprints a set of (file, content hash) pairs: the XOR of
// each pair's SHA-256. The same files with the same bytes give the same
// value in any order, and adding or removing one pair is one XOR, so an
// incremental sync updates the fingerprint without rehashing the archive.
type setHash [sha256.Size]byte

// toggle adds the pair, or removes it if it is in.
func (s *setHash) toggle(file, hash string) {
	d := sha256.Sum256([]byte(file + "\x00" + hash))
	for i := range s {
		s[i] ^= d[i]
	}
}

// String is the manifest's form: 16 hex digits.
func (s setHash) String() string { return hex.EncodeToString(s[:])[:16] }

func stateHash(st state) setHash {
	var s setHash
	for _, d := range st {
		s.toggle(d.File, d.Hash)
	}
	return s
}
