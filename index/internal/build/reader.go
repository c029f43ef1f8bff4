package build

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	bleveidx "github.com/blevesearch/bleve_index_api"
)

// SnapshotReader opens a reader of idx's current snapshot; the caller
// closes it.
func SnapshotReader(idx bleve.Index) (bleveidx.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// EachLiveDoc calls fn with the internal id of every live document of r,
// until fn fails or ctx ends.
func EachLiveDoc(ctx context.Context, r bleveidx.IndexReader, fn func(id bleveidx.IndexInternalID) error) error {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		id, err := ids.Next()
		if err != nil || id == nil {
			return err
		}
		if err := fn(id); err != nil {
			return err
		}
	}
}
