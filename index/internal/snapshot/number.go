package snapshot

import (
	"encoding/binary"

	bleveidx "github.com/blevesearch/bleve_index_api"
)

// Number is scorch's document number, which its internal ids encode.
func Number(id bleveidx.IndexInternalID) uint64 {
	if len(id) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(id)
}

// Held is a snapshot that can be held past the search (scorch's).
type Held interface {
	bleveidx.IndexReader
	AddRef()
	DecRef() error
}
