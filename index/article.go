package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snippet"
	"github.com/blust/archive/internal/qlang"
)

// What an article page reads besides the post's text: its entry
// (Lookup), the posts before and after it (Neighbours), the posts most
// like it (Related), and the marks of the search that led to it
// (Matcher).

// ErrNotFound reports a slug that is not in the index.
var ErrNotFound = errors.New("no such post")

// Entry is what the index holds about one post besides its text.
type Entry struct {
	Slug    string
	File    string // path inside the content folder the build was made from
	Hash    string
	Title   string
	Date    time.Time
	Authors []string
	Tags    []string
	Summary string
	Words   int
}

// Lookup returns the entry for slug, or ErrNotFound.
func (ix *Index) Lookup(ctx context.Context, slug string) (*Entry, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{slug}), 1, 0, false)
	req.Fields = []string{schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", slug, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%q: %w", slug, ErrNotFound)
	}
	h := newHit(res.Hits[0])
	st, err := ix.docState(slug)
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", slug, err)
	}
	return &Entry{
		Slug: h.Slug, Title: h.Title, Date: h.Date, Authors: h.Authors, Tags: h.Tags,
		Summary: h.Summary, Words: h.Words, File: st.File, Hash: st.Hash,
	}, nil
}

// docState reads one post's file and hash from their doc-values columns
// (they are not stored: see build.ReadState).
func (ix *Index) docState(slug string) (changes.DocState, error) {
	ix.mu.RLock()
	idx := ix.cur.idx
	ix.mu.RUnlock()
	r, err := build.SnapshotReader(idx)
	if err != nil {
		return changes.DocState{}, err
	}
	defer r.Close()
	id, err := r.InternalID(slug)
	if err != nil {
		return changes.DocState{}, err
	}
	if id == nil {
		return changes.DocState{}, fmt.Errorf("%q: %w", slug, ErrNotFound)
	}
	dv, err := r.DocValueReader(build.StateFields)
	if err != nil {
		return changes.DocState{}, err
	}
	_, d, err := build.VisitState(dv, id)
	return d, err
}

// Neighbours returns the posts published just before (older) and just
// after (newer) the post with slug, ordered by date and then slug so that
// posts of the same day still form one chain. Either is nil at the ends of
// the archive. It fails with ErrNotFound for an unknown slug.
func (ix *Index) Neighbours(ctx context.Context, slug string) (older, newer *Hit, err error) {
	e, err := ix.Lookup(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if older, err = ix.adjacent(ctx, e, false); err != nil {
		return nil, nil, err
	}
	if newer, err = ix.adjacent(ctx, e, true); err != nil {
		return nil, nil, err
	}
	return older, newer, nil
}

// neighbourWindow is how many posts of the same date adjacent looks past;
// beyond that a day's chain is cut, which no real blog reaches.
const neighbourWindow = 50

func (ix *Index) adjacent(ctx context.Context, e *Entry, newer bool) (*Hit, error) {
	yes := true
	var q *bq.DateRangeQuery
	order := []string{schema.FieldDate, schema.FieldSlug} // the slug as sortOrder reads it
	if newer {
		q = bleve.NewDateRangeInclusiveQuery(e.Date, time.Time{}, &yes, &yes)
	} else {
		q = bleve.NewDateRangeInclusiveQuery(time.Time{}, e.Date, &yes, &yes)
		order = []string{"-" + schema.FieldDate, "-" + schema.FieldSlug}
	}
	q.SetField(schema.FieldDate)
	req := bleve.NewSearchRequestOptions(q, neighbourWindow, 0, false)
	req.SortBy(order)
	req.Fields = []string{schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("neighbours of %q: %w", e.Slug, err)
	}
	for _, dm := range res.Hits {
		h := newHit(dm)
		if h.Slug == e.Slug {
			continue
		}
		if after(h, e) == newer {
			return &h, nil
		}
	}
	return nil, nil
}

// after reports whether h comes after e in (date, slug) order.
func after(h Hit, e *Entry) bool {
	if !h.Date.Equal(e.Date) {
		return h.Date.After(e.Date)
	}
	return h.Slug > e.Slug
}

// Tuning of Related. A post's significant terms are its words weighted by
// tf-idf; shared tags weigh like a strong term, since an editor chose them.
const (
	relatedTerms      = 25  // significant terms per post
	relatedCandidates = 200 // most frequent terms whose document frequency is looked up
	relatedTagBoost   = 1.5
	// relatedTags bounds the tags that take part: a post's first ones, as
	// its editor listed them. bleve refuses a query of more than 1,024
	// clauses, and a post can carry thousands of tags.
	relatedTags = 64
)

// Related returns up to n other posts most similar to slug: those sharing
// its tags and its most significant terms, best first. It fails with
// ErrNotFound for an unknown slug.
func (ix *Index) Related(ctx context.Context, slug string, n int) ([]Hit, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{slug}), 1, 0, false)
	req.Fields = []string{schema.FieldTitle, schema.FieldBodyRef, schema.FieldTags}
	var res *bleve.SearchResult
	var err error
	for range 5 { // a build switch between the search and the body: again
		if res, err = ix.alias.SearchInContext(ctx, req); err == nil {
			err = ix.loadBodies(res.Hits)
		}
		if !errors.Is(err, errSwitched) {
			break
		}
	}
	if errors.Is(err, errSwitched) {
		err = ErrBusy
	}
	if err != nil {
		return nil, fmt.Errorf("related to %q: %w", slug, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%q: %w", slug, ErrNotFound)
	}
	doc := res.Hits[0]
	terms, err := ix.significantTerms(str(doc.Fields[schema.FieldTitle]) + "\n" + str(doc.Fields[schema.FieldBody]))
	if err != nil {
		return nil, fmt.Errorf("related to %q: %w", slug, err)
	}
	var should []bq.Query
	for _, t := range terms {
		tq := bleve.NewTermQuery(t.term)
		tq.SetField(schema.FieldBody)
		tq.SetBoost(t.weight)
		should = append(should, tq)
	}
	for _, tag := range firstTags(strs(doc.Fields[schema.FieldTags]), relatedTags) {
		tq := bleve.NewTermQuery(tag)
		tq.SetField(schema.FieldTags)
		tq.SetBoost(relatedTagBoost)
		should = append(should, tq)
	}
	if len(should) == 0 {
		return []Hit{}, nil
	}
	bq := bleve.NewBooleanQuery()
	bq.AddShould(should...)
	bq.AddMustNot(bleve.NewDocIDQuery([]string{slug}))
	sreq := bleve.NewSearchRequestOptions(bq, n, 0, false)
	sreq.SortByCustom(sortOrder(SortRelevance))
	sreq.Fields = []string{schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	sres, err := ix.alias.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, fmt.Errorf("related to %q: %w", slug, err)
	}
	hits := make([]Hit, 0, len(sres.Hits))
	for _, h := range sres.Hits {
		hits = append(hits, newHit(h))
	}
	return hits, nil
}

// firstTags is the first n distinct tags.
func firstTags(tags []string, n int) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		if len(out) == n {
			break
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

type weightedTerm struct {
	term   string
	weight float64 // tf-idf scaled so the strongest term weighs 1
}

// significantTerms analyses text as the body field is analysed and keeps
// the terms with the highest tf-idf. Terms only this post has cannot find
// another post, and terms in most posts say nothing, so both are dropped.
func (ix *Index) significantTerms(text string) ([]weightedTerm, error) {
	m := ix.alias.Mapping()
	if m == nil {
		return nil, fmt.Errorf("no mapping")
	}
	an := m.AnalyzerNamed(schema.AnalyzerText)
	if an == nil {
		return nil, fmt.Errorf("no analyzer %q", schema.AnalyzerText)
	}
	tf := map[string]int{}
	for _, tok := range an.Analyze([]byte(text)) {
		if t := string(tok.Term); len(t) >= 3 && !allDigits(t) {
			tf[t]++
		}
	}
	cands := make([]string, 0, len(tf))
	for t := range tf {
		cands = append(cands, t)
	}
	sort.Slice(cands, func(i, j int) bool {
		if tf[cands[i]] != tf[cands[j]] {
			return tf[cands[i]] > tf[cands[j]]
		}
		return cands[i] < cands[j]
	})
	cands = cands[:min(len(cands), relatedCandidates)]
	n, err := ix.alias.DocCount()
	if err != nil {
		return nil, err
	}
	var out []weightedTerm
	for _, t := range cands {
		df, err := ix.docFreq(schema.FieldBody, t)
		if err != nil {
			return nil, err
		}
		if df < 2 || float64(df) > float64(n)/2 {
			continue
		}
		out = append(out, weightedTerm{t, (1 + math.Log(float64(tf[t]))) * math.Log(float64(n)/float64(df))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].term < out[j].term
	})
	out = out[:min(len(out), relatedTerms)]
	if len(out) > 0 {
		top := out[0].weight
		for i := range out {
			out[i].weight /= top
		}
	}
	return out, nil
}

// docFreq is the number of posts whose field holds term.
func (ix *Index) docFreq(field, term string) (uint64, error) {
	d, err := ix.alias.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return 0, err
	}
	defer d.Close()
	e, err := d.Next()
	if err != nil || e == nil {
		return 0, err
	}
	return e.Count, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Highlight is a search whose matches an article page marks: what the
// reader typed and how the search read it. It is what a result link
// carries, and all that is needed to plan the same search again.
type Highlight struct {
	Query   string
	Mode    qlang.Mode
	Literal bool
	// Corrected is the Result.Suggestion of a search that ran it instead
	// of Query (Result.Corrected), else "". It tells a search corrected
	// on its second pass (rare words taken for typos) from one that was
	// not; a correction the archive would no longer make is ignored.
	Corrected string
}

// Matcher finds in a text what a search matched in a post's body, as
// the snippets of its hit mark it (index/internal/snippet).
type Matcher = snippet.Matcher

// Matcher plans h as Search would on the serving build and returns what
// that plan matches in a body. A malformed query fails with an error
// wrapping *qlang.Error; one with too many words with a *LimitError.
func (ix *Index) Matcher(ctx context.Context, h Highlight) (*Matcher, error) {
	r := Request{Query: h.Query, Mode: h.Mode, Literal: h.Literal}
	if err := checkTerms(r.Query); err != nil {
		return nil, err
	}
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		return nil, fmt.Errorf("highlight: %w", err)
	}
	if parsed.Empty() {
		return snippet.NewMatcher(ix.an, r.Query, nil), nil
	}
	ctx = withTermLimit(ctx)
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		return nil, err
	}
	// Search plans again with rare words taken for typos only when the
	// first plan corrected nothing (qplan.Plan.Retry); the result link says
	// whether that second plan's correction ran.
	if h.Corrected != "" && pl.Suggestion == "" && pl.RareWords {
		pl2, err := ix.planText(ctx, parsed, r, true)
		if err != nil {
			return nil, err
		}
		if pl2.Corrected && pl2.Suggestion == h.Corrected {
			pl = pl2
		}
	}
	text := r.Query
	if pl.Corrected {
		text = pl.Suggestion
	}
	return snippet.NewMatcher(ix.an, text, pl.Groups), nil
}
