package bm25f

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bleveidx "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches a phrase alternative in one field: its stems at
// its gaps, any word standing in a stop word's place, as bleve's
// multi-phrase query with empty slots does. bleve's searcher turns every
// post holding all the stems into a map of their locations before it
// looks for the phrase, which was a third of the time of the searches
// with a phrase or a multi-word synonym; this one walks the stems'
// postings together and checks positions without allocating. It
// marshals as the multi-phrase query it replaces, so cursors keep their
// signatures.
type phraseQuery struct {
	*bq.MultiPhraseQuery
	terms []string
	gaps  []int
	field string
}

func NewPhraseQuery(a Alt, field string) *phraseQuery {
	return &phraseQuery{MultiPhraseQuery: bq.NewMultiPhraseQuery(PhraseSlots(a), field), terms: a.Terms, gaps: a.Gaps, field: field}
}

// Searcher implements bleve's query.Query. A stem the field lacks
// matches nothing.
func (q *phraseQuery) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s := &phraseSearcher{gaps: q.gaps}
	opened := map[string]*posting{}
	for _, t := range q.terms {
		if p := opened[t]; p != nil { // "peer to peer": one reader decodes peer's positions once
			s.ps = append(s.ps, p)
			continue
		}
		tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, true, false, true)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("read %s:%s: %w", q.field, t, err)
		}
		p := &posting{r: tfr}
		opened[t] = p
		s.ps = append(s.ps, p)
		if err := search.RecordTermSearcher(ctx); err != nil {
			s.Close()
			return nil, err
		}
		if tfr.Count() == 0 {
			s.Close()
			return searcher.NewMatchNoneSearcher(r)
		}
		if tfr.Count() < s.ps[s.lead].r.Count() {
			s.lead = len(s.ps) - 1
		}
	}
	if reg, ok := ctx.Value(phraseRegistryKey{}).(*phraseRegistry); ok {
		reg.add(phraseKey(q.field, q.terms, q.gaps), s)
		s.counted = true
	}
	return s, nil
}

// phraseSearcher finds the posts holding a phrase. The rarest stem
// leads; the others catch up to each of its posts.
type phraseSearcher struct {
	ps       []*posting // by stem, as gaps
	gaps     []int
	lead     int
	started  bool
	moveLead bool // the lead's post was returned: go past it
	pm       phraseMatcher
	// The last posts returned and the phrase's occurrences in each
	// (countAt). bleve's disjunction moves its searchers on before it
	// returns the post they were on, so the one before last is needed.
	brought  [broughtKept]broughtPost
	nextSlot int
	counted  bool // a rank searcher takes the counts: count every occurrence
}

// broughtKept is how many returned posts a phrase searcher remembers.
const broughtKept = 4

type broughtPost struct {
	num   uint64
	count int // 0: the slot is empty
}

// Next implements search.Searcher.
func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.find(ctx, nil)
}

// Advance implements search.Searcher.
func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	return s.find(ctx, id)
}

// find returns the first post at or after target (nil: after the last
// one returned) that holds the phrase.
func (s *phraseSearcher) find(ctx *search.SearchContext, target bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	lead := s.ps[s.lead]
	var err error
	switch {
	case target != nil && (!s.started || lead.before(target)):
		err = lead.advance(target)
	case !s.started || s.moveLead:
		err = lead.next()
	}
	s.started, s.moveLead = true, false
	for err == nil && lead.cur != nil {
		id := lead.cur.ID
		lead.on, lead.fresh = true, true
		var ahead bleveidx.IndexInternalID // where a stem that is missing here goes on
		for i, p := range s.ps {
			if i == s.lead {
				continue
			}
			on, err := p.at(id)
			if err != nil {
				return nil, err
			}
			if !on {
				if p.cur == nil {
					lead.cur = nil // a stem has no more posts
					return nil, nil
				}
				ahead = p.cur.ID
				break
			}
		}
		if ahead == nil {
			limit := 1 // whether it occurs: nobody asks how often
			if s.counted {
				limit = -1
			}
			if n := s.pm.match(s.ps, s.gaps, nil, "", "", limit); n > 0 {
				s.moveLead = true
				if s.counted {
					s.brought[s.nextSlot] = broughtPost{lead.num, n}
					s.nextSlot = (s.nextSlot + 1) % broughtKept
				}
				dm := ctx.DocumentMatchPool.Get()
				dm.IndexInternalID = append(dm.IndexInternalID[:0], id...)
				return dm, nil
			}
		}
		if ahead != nil {
			err = lead.advance(ahead)
		} else {
			err = lead.next()
		}
	}
	return nil, err
}

// Close implements search.Searcher.
func (s *phraseSearcher) Close() error {
	var first error
	for i, p := range s.ps {
		if slices.Contains(s.ps[:i], p) {
			continue // a repeated stem's reader, closed once
		}
		if err := p.r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight, SetQueryNorm, Count, Min, Size and DocumentMatchPoolSize
// implement search.Searcher. The phrase only decides what matches; the
// rank searcher scores.
func (s *phraseSearcher) Weight() float64            { return 1 }
func (s *phraseSearcher) SetQueryNorm(float64)       {}
func (s *phraseSearcher) Count() uint64              { return s.ps[s.lead].r.Count() }
func (s *phraseSearcher) Min() int                   { return 0 }
func (s *phraseSearcher) Size() int                  { return 64 * len(s.ps) }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

// phraseRegistry collects the phrase searchers a match searcher opens,
// so that the rank searcher above it can take their counts instead of
// reading the same positions again. Searchers are opened one at a time,
// so it needs no lock.
type phraseRegistry struct {
	byKey map[string][]*phraseSearcher
}

type phraseRegistryKey struct{}

// phraseKey names a phrase in a field. Terms are joined with a byte no
// analysed term holds, so two phrases cannot share a key.
func phraseKey(field string, terms []string, gaps []int) string {
	return fmt.Sprintf("%s\x00%s\x00%v", field, strings.Join(terms, "\x00"), gaps)
}

func (r *phraseRegistry) add(key string, s *phraseSearcher) {
	if r.byKey == nil {
		r.byKey = map[string][]*phraseSearcher{}
	}
	r.byKey[key] = append(r.byKey[key], s)
}

func (r *phraseRegistry) lookup(key string) []*phraseSearcher {
	if r == nil {
		return nil
	}
	return r.byKey[key]
}

// countAt is how often the phrase occurs in post num, when the searcher
// returned that post lately (ok). What it remembers stays true however
// the searcher moves on: a post's positions do not change in a snapshot.
func (s *phraseSearcher) countAt(num uint64) (int, bool) {
	for _, b := range s.brought {
		if b.count > 0 && b.num == num {
			return b.count, true
		}
	}
	return 0, false
}
