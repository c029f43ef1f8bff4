package build

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snapshot"
)

// ReadState reads every document's slug, file and hash from doc values.
// Not through a search: bleve would read each hit's id from its stored
// document, and with posts of a few kilobytes that touches every page of
// the stored documents. At 100,000 posts the start-up sync then mapped
// 800 MB of the index into the server's memory, where this reads the
// three fields' columns alone.
func ReadState(ctx context.Context, idx bleve.Index) (changes.State, error) {
	r, err := SnapshotReader(idx)
	if err != nil {
		return nil, fmt.Errorf("read index state: %w", err)
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("read index state: %w", err)
	}
	dv, err := r.DocValueReader(StateFields)
	if err != nil {
		return nil, fmt.Errorf("read index state: %w", err)
	}
	st := make(changes.State, n)
	err = EachLiveDoc(ctx, r, func(id bleveidx.IndexInternalID) error {
		slug, d, err := VisitState(dv, id)
		if err != nil {
			return err
		}
		if slug == "" || d.File == "" || d.Hash == "" {
			return fmt.Errorf("document %d lacks its slug, file or hash (slug %q, file %q)", snapshot.Number(id), slug, d.File)
		}
		st[slug] = d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read index state: %w", err)
	}
	return st, nil
}

// StateFields are the doc-values columns VisitState reads.
var StateFields = []string{schema.FieldSlug, schema.FieldFile, schema.FieldHash}

// VisitState reads one document's slug, file and hash from a reader of
// StateFields.
func VisitState(dv bleveidx.DocValueReader, id bleveidx.IndexInternalID) (slug string, d changes.DocState, err error) {
	err = dv.VisitDocValues(id, func(field string, term []byte) {
		switch field {
		case schema.FieldSlug:
			slug = string(term)
		case schema.FieldFile:
			d.File = string(term)
		case schema.FieldHash:
			d.Hash = string(term)
		}
	})
	return slug, d, err
}
