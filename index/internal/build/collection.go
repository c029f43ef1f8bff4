package build

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/store"
)

// Doc is a document that is not a post, such as an entry of a test
// collection for measuring ranking quality. It is indexed as a post with
// that title and body would be: same mapping, analyzers and scoring.
type Doc struct {
	ID    string
	Title string
	Text  string
	Date  time.Time // zero means undated, kept as the Unix epoch
}

// Docs indexes docs into a fresh build and makes it the serving one, as
// Posts does for a content folder's posts. Docs need distinct, non-empty ids.
// A failure removes the half-made build.
func Docs(ctx context.Context, st *store.Store, docs []Doc, opts BuildOptions) (*Report, error) {
	start := time.Now()
	opts = opts.WithDefaults()
	rep, err := commitNewBuild(st, func(id string) (*Report, error) {
		return fillDocs(ctx, st, id, docs, opts)
	})
	if err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// fillDocs writes docs into the new build and seals it with its
// vocabulary and manifest, as fill does for posts.
func fillDocs(ctx context.Context, st *store.Store, id string, docs []Doc, opts BuildOptions) (*Report, error) {
	var tot *totals
	err := writeBuild(ctx, st, id, func(idx bleve.Index, bf *bodies.File) (err error) {
		tot, err = writeDocs(ctx, idx, bf, docs, opts)
		return err
	})
	if err == nil {
		tot.vocabName, err = buildVocab(st.BuildPath(id), tot.words)
	}
	if err != nil {
		return nil, err
	}
	man := store.Manifest{ID: id, BuiltAt: time.Now().UTC(), MappingVersion: schema.MappingVersion, ContentDir: opts.ContentDir, Posts: len(docs),
		FieldLengths: tot.means, Vocab: tot.vocabName}
	if err := store.WriteJSONFile(st.BuildPath(id)+"/"+store.ManifestFile, man); err != nil {
		return nil, fmt.Errorf("build %s: write manifest: %w", id, err)
	}
	return &Report{Manifest: man}, nil
}

func writeDocs(ctx context.Context, idx bleve.Index, bf *bodies.File, docs []Doc, opts BuildOptions) (*totals, error) {
	b := newBuildQueue(idx, bf, opts.BatchSize)
	seen := make(map[string]bool, len(docs))
	for i, d := range docs {
		if d.ID == "" || seen[d.ID] {
			return nil, fmt.Errorf("document %d: id %q is empty or not unique", i+1, d.ID)
		}
		seen[d.ID] = true
		doc := &document{Title: d.Title, Body: d.Text, File: d.ID, Slug: d.ID, Sections: "[]", Words: float64(len(strings.Fields(d.Text))), Date: d.Date}
		doc.pack()
		if doc.Date.IsZero() {
			// bleve cannot encode year 1 as a date, and a document without
			// one would break the newest-first tie-breaker and its cursors.
			doc.Date = time.Unix(0, 0).UTC()
		}
		if err := b.addNew(ctx, d.ID, doc); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("build cancelled: %w", err)
		}
		if b.flushed && opts.Progress != nil {
			opts.Progress(i+1, len(docs))
		}
	}
	if err := b.send(ctx); err != nil {
		return nil, err
	}
	return b.totals(), nil
}
