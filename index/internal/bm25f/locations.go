package bm25f

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/snapshot"
)

// Snippets need the places a query's words occur, but only in the page's
// hits. Decoding them while scoring, as bleve does, decodes them for every
// matching post: a median query matches a quarter of the archive and
// shows ten. So a search with snippets scores without term vectors, keeps
// the snapshot it ran on, and afterwards reads the locations of the
// page's hits alone from that snapshot, where the hits' internal ids are
// valid. The locations are the ones scoring would have recorded, in the
// same order, so snippets do not change.

// pageQuery is a rank query whose searcher keeps its snapshot for the
// page's locations (Page.Fill).
type pageQuery struct {
	*Query
	page *Page
}

// Page reads the term locations of a search's returned hits.
type Page struct {
	Groups []*Group
	Snap   snapshot.Held // nil until the search runs, and after release
}

// Searcher implements bleve's query.Query. A reader that cannot be held
// gets the locations while scoring instead.
func (q *pageQuery) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	rr, ok := r.(snapshot.Held)
	if !ok {
		opts.IncludeTermVectors = true
		return q.Query.Searcher(ctx, r, m, opts)
	}
	opts.IncludeTermVectors = false
	s, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	q.page.Release()
	rr.AddRef()
	q.page.Snap = rr
	return s, nil
}

// Release lets the snapshot go; safe to call more than once.
func (pl *Page) Release() {
	if pl == nil || pl.Snap == nil {
		return
	}
	_ = pl.Snap.DecRef() // only fails as the snapshot's segments close, which no longer concerns us
	pl.Snap = nil
}

// locSource is one posting list whose locations a hit may need: a word
// in a highlighted field, or the stems of a phrase there.
type locSource struct {
	field, term string     // term: the stem, or the phrase's label
	words       []*posting // one for a word, one per stem for a phrase
	gaps        []int
	phrase      bool
}

// Fill sets Locations on hits, which must come from the search that
// called Searcher, as scoring with term vectors would have set them.
func (pl *Page) Fill(ctx context.Context, hits []*search.DocumentMatch) error {
	if pl == nil || pl.Snap == nil || len(hits) == 0 {
		return nil
	}
	srcs, all, err := pl.open(ctx)
	defer func() {
		for _, p := range all {
			_ = p.r.Close()
		}
	}()
	if err != nil {
		return err
	}
	// postings only move forward
	byID := slices.Clone(hits)
	slices.SortFunc(byID, func(a, b *search.DocumentMatch) int { return a.IndexInternalID.Compare(b.IndexInternalID) })
	var pm phraseMatcher
	for _, h := range byID {
		for _, p := range all {
			if _, err := p.at(h.IndexInternalID); err != nil {
				return fmt.Errorf("locations of %s: %w", h.ID, err)
			}
		}
		h.FieldTermLocations = h.FieldTermLocations[:0]
		for _, src := range srcs {
			if src.phrase {
				pm.count(src.words, src.gaps, h, src.field, src.term)
			} else if p := src.words[0]; p != nil && p.on {
				addLocations(h, p, src.field, src.term)
			}
		}
		h.Complete(nil)
	}
	return nil
}

// open reads the postings of every word and phrase of the query in the
// highlighted fields, in the order scoring visits them (groupTF).
func (pl *Page) open(ctx context.Context) (srcs []locSource, all []*posting, err error) {
	openOne := func(term, field string) (*posting, error) {
		p, err := openLocated(ctx, pl.Snap, term, field)
		if p != nil {
			all = append(all, p)
		}
		return p, err
	}
	for _, g := range pl.Groups {
		if g.Excluded {
			continue // scoring records no locations for it either (groupTF)
		}
		for _, a := range g.Alts {
			var phrases []locSource
			for _, f := range g.Fields {
				if !highlighted[f] {
					continue
				}
				ps := make([]*posting, len(a.Terms))
				for i, t := range a.Terms {
					if ps[i], err = openOne(t, f); err != nil {
						return nil, all, err
					}
				}
				if a.Phrase() {
					phrases = append(phrases, locSource{field: f, term: a.Label, words: ps, gaps: a.Gaps, phrase: true})
				} else {
					srcs = append(srcs, locSource{field: f, term: a.Terms[0], words: ps})
				}
			}
			srcs = append(srcs, phrases...) // groupTF records an alternative's words, then its phrases
		}
	}
	return srcs, all, nil
}

// openLocated opens a reader of a stem's postings in field with the
// places it stands, for snippets and phrase checks apart from scoring;
// nil when the field does not hold it.
func openLocated(ctx context.Context, r bleveidx.IndexReader, term, field string) (*posting, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, false, true)
	if err != nil {
		return nil, fmt.Errorf("read %s:%s: %w", field, term, err)
	}
	if tfr.Count() == 0 {
		tfr.Close()
		return nil, nil
	}
	return &posting{r: tfr, term: term}, nil
}

// ForPage wraps q, when it is a rank query, so that the page's
// locations can be read after the search; other queries get them from
// bleve while it scores.
func ForPage(q bq.Query) (bq.Query, *Page) {
	rq, ok := q.(*Query)
	if !ok {
		return q, nil
	}
	pl := &Page{Groups: rq.Groups}
	return &pageQuery{Query: rq, page: pl}, pl
}
