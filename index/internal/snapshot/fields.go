package snapshot

import (
	"fmt"
	"slices"
	"sort"
	"time"

	bdocument "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bleveidx "github.com/blevesearch/bleve_index_api"
)

// The stored fields of a search's hits, read from the snapshot the search
// ran on. bleve loads them by external id: a lookup in the _id dictionary
// for each hit, then a Document whose every field is copied and then
// copied again into the hit. A page of ten hits with their bodies cost a
// fifth of a common search. The hits' internal ids already name their
// place in the snapshot, so their fields are read from there once.

// segmentedReader is a snapshot made of segments (scorch's).
type segmentedReader interface {
	Segments() []*scorch.SegmentSnapshot
}

// LoadFields sets the named stored fields on hits, which must come from
// a search that ran on snap, as bleve's LoadAndHighlightFields would: a
// string, a float64 or an RFC 3339 date for one value, a slice for
// several.
func LoadFields(snap bleveidx.IndexReader, hits []*search.DocumentMatch, fields []string) error {
	sr, ok := snap.(segmentedReader)
	if !ok {
		return fmt.Errorf("stored fields: cannot read a %T by internal id", snap)
	}
	segs := sr.Segments()
	offsets := make([]uint64, len(segs)) // as scorch numbers documents: deleted ones keep their place
	var next uint64
	for i, s := range segs {
		offsets[i] = next
		next += uint64(s.FullSize())
	}
	for _, h := range hits {
		n := Number(h.IndexInternalID)
		i := sort.Search(len(offsets), func(x int) bool { return offsets[x] > n }) - 1
		if i < 0 {
			return fmt.Errorf("stored fields of %s: no segment holds document %d", h.ID, n)
		}
		h.Fields = nil
		err := segs[i].VisitDocument(n-offsets[i], func(name string, typ byte, val []byte, _ []uint64) bool {
			if slices.Contains(fields, name) {
				if v, ok := storedValue(typ, val); ok {
					h.AddFieldValue(name, v)
				}
			}
			return true
		})
		if err != nil {
			return fmt.Errorf("stored fields of %s: %w", h.ID, err)
		}
	}
	return nil
}

// storedValue decodes a stored field the way bleve hands it to a hit.
func storedValue(typ byte, val []byte) (any, bool) {
	switch typ {
	case 't':
		return string(val), true
	case 'n':
		f, err := bdocument.NewNumericFieldFromBytes("", nil, val).Number()
		return f, err == nil
	case 'd':
		t, layout, err := bdocument.NewDateTimeFieldFromBytes("", nil, val).DateTime()
		if err != nil {
			return nil, false
		}
		if layout == "" {
			layout = time.RFC3339
		}
		return t.Format(layout), true
	}
	return nil, false
}
