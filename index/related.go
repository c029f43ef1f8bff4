package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/schema"
)

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
