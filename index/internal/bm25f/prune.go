package bm25f

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/search"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snapshot"
)

// Pruning the first page of a relevance search.
//
// The first page by score needs the k best posts, and most matching posts
// cannot be among them: tiers decide before scores, so once k posts hold
// every group, a post missing one is out, and once k hold every group in
// the title, only title matches can still get in. The rank searcher keeps
// the k best scores it has passed on and, as the k-th best climbs past a
// tier, walks only the postings that can still bring a competitive post:
// the rarest required group's, then that group's title postings alone.
// This is Lucene's MaxScore with the tiers as the bounds. Posts the walk
// skips are never scored, and those it scores below the k-th best are not
// passed on; the page is exactly the unpruned page.
//
// The total and the facets still count every match, not the posts
// bleve's collector sees. For plain words they come from the union of the
// words' posting bitmaps, which scorch ORs without decoding frequencies;
// where bleve's match searcher decides what matches (phrases, required
// words, filters), from counting the posts it brings, of which those
// that cannot reach the page go unscored once it is full of title
// matches. A word with a phrase among its synonyms (p2p, "peer to peer")
// counts the posts its phrase alone brings by checking the phrase there
// with second readers; with several such groups that check would be made
// twice, to count and to score, and those searches are not pruned.

type topKKey struct{}

// TopK asks the rank searcher of one search to prune to its k best, and
// receives the exact number of matches (and, for facets, their document
// numbers), which bleve's count of collected hits then no longer gives.
type TopK struct {
	k        int
	wantDocs bool

	counted bool // the searcher pruned: total and docs hold
	total   uint64
	docs    []uint64 // ascending
	scored  uint64   // posts the pruned walk scored
}

// WithTopK returns a context under which a relevance search prunes to
// its k best.
func WithTopK(ctx context.Context, k int, wantDocs bool) (context.Context, *TopK) {
	tk := &TopK{k: k, wantDocs: wantDocs}
	return context.WithValue(ctx, topKKey{}, tk), tk
}

// noPruningKey in a context turns pruning off, so that tests and
// benchmarks can compare.
type noPruningKey struct{}

// WithoutPruning returns a context under which searches are not pruned
// (see Pruning), so that tests and benchmarks can compare.
func WithoutPruning(ctx context.Context) context.Context {
	return context.WithValue(ctx, noPruningKey{}, true)
}

// Pruning says whether ctx lets a relevance search prune.
func Pruning(ctx context.Context) bool { return ctx.Value(noPruningKey{}) == nil }

// Total is the exact number of matches, when the searcher pruned and
// counted them (ok); else bleve's count of the hits it collected holds.
func (tk *TopK) Total() (n uint64, ok bool) {
	if tk == nil || !tk.counted {
		return 0, false
	}
	return tk.total, true
}

// Listed is the document numbers of every match, ascending, once the
// search has ended, when the searcher pruned (ok): bleve's collector then
// sees only the page's contenders.
func (tk *TopK) Listed() (docs []uint64, ok bool) {
	return tk.docs, tk.counted
}

func topKFrom(ctx context.Context) *TopK {
	tk, _ := ctx.Value(topKKey{}).(*TopK)
	return tk
}

// pruner holds the k best scores passed on, as a min-heap, and the
// drivers for each tier the k-th best may reach.
type pruner struct {
	tk      *TopK
	k       int
	best    []float64
	step    float64
	tier    int           // the lowest tier that can still reach the page
	drivers [3][]*posting // by tier; nil keeps the previous drivers
	// others are, by tier, the postings of each required group besides
	// the lead's: a post must stand in one list of each to reach the tier.
	others [3][][]*posting
	// required are the groups a tier-1 post holds, for a match searcher's
	// posts, which no drivers choose.
	required []int
}

// pruneMatches takes the match searcher's posts from dm on: it counts
// each and returns the first that can still reach the page, scored. Once
// the page is full of title matches, a post whose title misses a
// required group is passed over unscored, which spares decoding where a
// phrase stands in its body.
func (s *rankSearcher) pruneMatches(ctx *search.SearchContext, dm *search.DocumentMatch) (*search.DocumentMatch, error) {
	tk := s.prune.tk
	for dm != nil {
		tk.total++
		if tk.wantDocs {
			tk.docs = append(tk.docs, snapshot.Number(dm.IndexInternalID))
		}
		keep := true
		var err error
		if s.prune.tier == 2 {
			keep, err = s.titleHolds(dm.IndexInternalID)
		}
		if err == nil && keep {
			if err = s.score(dm); err == nil && s.admit(dm.Score) {
				return dm, nil
			}
		}
		if err != nil {
			return nil, err
		}
		ctx.DocumentMatchPool.Put(dm)
		if dm, err = s.match.Next(ctx); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// titleHolds reports whether the post's title holds every required group.
func (s *rankSearcher) titleHolds(id bleveidx.IndexInternalID) (bool, error) {
	for _, gi := range s.prune.required {
		if ok, err := s.inTitle(s.groups[gi], id); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (s *rankSearcher) inTitle(g *scoredGroup, id bleveidx.IndexInternalID) (bool, error) {
	for _, a := range g.alts {
		for i, w := range a.words {
			if w == nil || s.fields[g.fields[i]] != schema.FieldTitle {
				continue
			}
			if on, err := w.at(id); err != nil || on {
				return on, err
			}
		}
		for i, ps := range a.phrases {
			if s.fields[g.fields[i]] != schema.FieldTitle {
				continue
			}
			on, err := allAt(ps, id)
			if err == nil && on {
				if err = located(ps, id); err == nil {
					on = s.phrase.has(ps, a.Gaps)
				}
			}
			if err != nil || on {
				return err == nil, err
			}
		}
	}
	return false, nil
}

// allAt moves a phrase's stems to id and reports whether all stand there.
func allAt(ps []*posting, id bleveidx.IndexInternalID) (bool, error) {
	for _, p := range ps {
		if p == nil {
			return false, nil
		}
		if on, err := p.at(id); err != nil || !on {
			return false, err
		}
	}
	return true, nil
}

// startPruning counts the matches for tk and sets up the pruner. Queries
// it cannot count that way run unpruned.
func (s *rankSearcher) startPruning(ctx context.Context, r bleveidx.IndexReader, tk *TopK) error {
	if tk.k <= 0 {
		return nil
	}
	if s.match != nil {
		// bleve's match searcher decides what matches; the rank searcher
		// counts what it brings and scores only what can reach the page.
		tk.counted = true
		s.prune = s.newPruner(tk)
		s.prune.required = requiredGroups(s.cover)
		return nil
	}
	if len(s.words) == 0 && len(s.leads) == 0 || len(s.leads) > 0 && len(s.groups) > 1 {
		// With phrases among several groups, the phrases would be checked
		// twice, once to count and once to score: "peer to peer streaming"
		// took 10% longer pruned, where "p2p" alone took 40% less.
		return nil
	}
	var total uint64
	var docs []uint64
	var ok bool
	var err error
	if len(s.leads) > 0 {
		total, docs, ok, err = s.countWithPhrases(ctx, r, tk.wantDocs)
	} else {
		total, docs, ok, err = s.countUnion(ctx, r, tk.wantDocs)
	}
	if err != nil || !ok {
		return err
	}
	tk.counted, tk.total, tk.docs = true, total, docs
	p := s.newPruner(tk)
	req := s.requiredPostings()
	if len(req) > 0 {
		// The group with the shortest postings drives; the others are
		// looked up at each post it brings, unless a phrase may stand
		// for them, which only scoring finds.
		slices.SortFunc(req, func(a, b groupPostings) int { return cmp.Compare(a.count, b.count) })
		p.drivers[1], p.drivers[2] = req[0].all, req[0].title
		for _, g := range req[1:] {
			if !g.phrases {
				p.others[1] = append(p.others[1], g.all)
				p.others[2] = append(p.others[2], g.title)
			}
		}
	}
	s.prune = p
	return nil
}

func (s *rankSearcher) newPruner(tk *TopK) *pruner {
	return &pruner{tk: tk, k: tk.k, step: s.tierStep, best: make([]float64, 0, tk.k)}
}

// groupPostings are the postings that bring a required group's posts,
// all and in the title, with their length: its words', and for each of
// its phrases the rarest stem's in each field (phrases says it has some).
type groupPostings struct {
	all, title []*posting
	count      uint64
	phrases    bool
}

// requiredPostings lists, for each group every tier-1 post must hold, its
// postings.
func (s *rankSearcher) requiredPostings() []groupPostings {
	var out []groupPostings
	for _, gi := range requiredGroups(s.cover) {
		g := groupPostings{all: []*posting{}, title: []*posting{}} // empty, not nil: no post can hold it
		add := func(p *posting) {
			g.all = append(g.all, p)
			g.count += p.r.Count()
			if s.fields[p.field] == schema.FieldTitle {
				g.title = append(g.title, p)
			}
		}
		for _, a := range s.groups[gi].alts {
			for _, w := range a.words {
				if w != nil {
					add(w)
				}
			}
			for _, ps := range a.phrases {
				g.phrases = true
				if lead := rarest(ps); lead != nil {
					add(lead)
				}
			}
		}
		out = append(out, g)
	}
	return out
}

// nextCandidate is candidate, skipping, once the page is full of posts
// of a tier, the posts that miss a group that tier needs: as in a
// conjunction, the drivers leap to the furthest of the other groups'
// next posts until all stand on one.
func (s *rankSearcher) nextCandidate(target bleveidx.IndexInternalID) (bleveidx.IndexInternalID, bool, error) {
	for {
		first, word, err := s.candidate(target)
		if err != nil || first == nil || s.prune == nil || s.prune.tier == 0 {
			return first, word, err
		}
		ahead, done, err := s.prune.ahead(first)
		if err != nil || done {
			return nil, false, err
		}
		if ahead == nil {
			return first, word, nil
		}
		target = ahead
	}
}

// ahead moves the other required groups' postings to id or past it. It
// returns nil when each has a posting on id, else the furthest place one
// of them must be, and done when one of them has no post left.
func (p *pruner) ahead(id bleveidx.IndexInternalID) (far bleveidx.IndexInternalID, done bool, err error) {
	n := snapshot.Number(id)
	for _, group := range p.others[p.tier] {
		var next bleveidx.IndexInternalID
		var nextNum uint64
		for _, w := range group {
			if _, err := w.atNum(id, n); err != nil {
				return nil, false, err
			}
			if w.cur != nil && (next == nil || w.num < nextNum) {
				next, nextNum = w.cur.ID, w.num
			}
		}
		if next == nil {
			return nil, true, nil
		}
		if next.Compare(id) > 0 && (far == nil || next.Compare(far) > 0) {
			far = next
		}
	}
	return far, false, nil
}

// requiredGroups lists the groups a post must hold for units to hold.
func requiredGroups(units []Unit) []int {
	var out []int
	for _, u := range units {
		switch u.op {
		case 'g':
			out = append(out, u.group)
		case '|': // any part will do: none is required
		default:
			out = append(out, requiredGroups(u.parts)...)
		}
	}
	return out
}

// countUnion counts the posts holding any of the query's words, from the
// OR of their posting bitmaps. ok is false when the reader cannot do that.
func (s *rankSearcher) countUnion(ctx context.Context, r bleveidx.IndexReader, wantDocs bool) (total uint64, docs []uint64, ok bool, err error) {
	if !wantDocs {
		if n, ok, err := s.countAroundLargest(ctx, r); err != nil || ok {
			return n, nil, ok, err
		}
	}
	var tfr bleveidx.TermFieldReader
	if len(s.words) == 1 {
		w := s.words[0]
		if !wantDocs {
			return w.r.Count(), nil, true, nil
		}
		if tfr, err = s.listReader(ctx, r, w); err != nil {
			return 0, nil, false, err
		}
	} else {
		if tfr, ok, err = unionReader(s.words); err != nil || !ok {
			return 0, nil, false, err
		}
	}
	defer tfr.Close()
	var d bleveidx.TermFieldDoc
	for {
		if total%1024 == 0 && ctx.Err() != nil {
			return 0, nil, false, ctx.Err()
		}
		td, err := tfr.Next(d.Reset())
		if err != nil {
			return 0, nil, false, err
		}
		if td == nil {
			return total, docs, true, nil
		}
		total++
		if wantDocs {
			docs = append(docs, snapshot.Number(td.ID))
		}
	}
}

// countAroundLargest counts the union as the largest posting list's
// length plus the posts of the others it misses. A word's body postings
// usually dwarf its title's and tags', so this reads a fraction of the
// union. ok is false when the others are not small enough for that to
// pay, and the union must be walked.
func (s *rankSearcher) countAroundLargest(ctx context.Context, r bleveidx.IndexReader) (total uint64, ok bool, err error) {
	if len(s.words) < 2 {
		return 0, false, nil
	}
	largest := slices.MaxFunc(s.words, func(a, b *posting) int { return cmp.Compare(a.r.Count(), b.r.Count()) })
	var others []*posting
	var othersN uint64
	for _, w := range s.words {
		if w != largest {
			others = append(others, w)
			othersN += w.r.Count()
		}
	}
	if othersN*2 > largest.r.Count() {
		return 0, false, nil
	}
	var rest bleveidx.TermFieldReader
	if len(others) == 1 {
		rest, err = s.listReader(ctx, r, others[0])
	} else {
		rest, ok, err = unionReader(others)
		if err != nil || !ok {
			return 0, false, err
		}
	}
	if err != nil {
		return 0, false, err
	}
	defer rest.Close()
	big, err := s.listReader(ctx, r, largest)
	if err != nil {
		return 0, false, err
	}
	defer big.Close()
	total = largest.r.Count()
	var d, in bleveidx.TermFieldDoc
	var at *bleveidx.TermFieldDoc // where big stands; nil before it moves
	done := false
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return 0, false, ctx.Err()
		}
		td, err := rest.Next(d.Reset())
		if err != nil || td == nil {
			return total, err == nil, err
		}
		// Only forward: scorch restarts a reader asked to go back.
		if !done && (at == nil || at.ID.Compare(td.ID) < 0) {
			if at, err = big.Advance(td.ID, in.Reset()); err != nil {
				return 0, false, err
			}
			done = at == nil
		}
		if done || !at.ID.Equals(td.ID) {
			total++
		}
	}
}

// countWithPhrases counts the posts holding a word of the query, from
// the OR of their postings, and those holding one of its phrases but none
// of its words, which second readers of the phrases' stems check one by
// one: the posts the union of the words misses and the rarest stem
// brings.
func (s *rankSearcher) countWithPhrases(ctx context.Context, r bleveidx.IndexReader, wantDocs bool) (uint64, []uint64, bool, error) {
	var words []uint64
	if len(s.words) > 0 {
		_, w, ok, err := s.countUnion(ctx, r, true)
		if err != nil || !ok {
			return 0, nil, ok, err
		}
		words = w
	}
	found := map[uint64]bool{}
	for _, g := range s.groups {
		for _, a := range g.alts {
			for i := range a.phrases {
				if err := s.phraseOnly(ctx, r, a, s.fields[g.fields[i]], words, found); err != nil {
					return 0, nil, false, err
				}
			}
		}
	}
	total := uint64(len(words) + len(found))
	if !wantDocs {
		return total, nil, true, nil
	}
	docs := words
	for d := range found {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	return total, docs, true, nil
}

// phraseOnly adds to found the posts where a's phrase stands in field
// and no word of the query (words, ascending) does.
func (s *rankSearcher) phraseOnly(ctx context.Context, r bleveidx.IndexReader, a *scoredAlt, field string, words []uint64, found map[uint64]bool) error {
	ps := make([]*posting, len(a.Terms))
	defer func() {
		for i, p := range ps {
			if p != nil && !slices.Contains(ps[:i], p) { // a repeated stem shares its reader
				_ = p.r.Close()
			}
		}
	}()
	for i, t := range a.Terms {
		if j := slices.Index(a.Terms[:i], t); j >= 0 {
			ps[i] = ps[j]
			continue
		}
		var err error
		if ps[i], err = openLocated(ctx, r, t, field); err != nil || ps[i] == nil {
			return err // no such stem there: the phrase cannot stand in field
		}
	}
	lead := rarest(ps)
	list, err := r.TermFieldReader(ctx, []byte(lead.term), field, false, false, false)
	if err != nil {
		return fmt.Errorf("read %s:%s: %w", field, lead.term, err)
	}
	defer list.Close()
	var pm phraseMatcher
	var d bleveidx.TermFieldDoc
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		td, err := list.Next(d.Reset())
		if err != nil || td == nil {
			return err
		}
		num := snapshot.Number(td.ID)
		if _, in := slices.BinarySearch(words, num); in || found[num] {
			continue
		}
		on, err := allAt(ps, td.ID)
		if err != nil {
			return err
		}
		if on && pm.has(ps, a.Gaps) {
			found[num] = true
		}
	}
}

// listReader opens a second reader of a posting's list, for its
// documents alone: the scorer reads the first.
func (s *rankSearcher) listReader(ctx context.Context, r bleveidx.IndexReader, p *posting) (bleveidx.TermFieldReader, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(p.term), s.fields[p.field], false, false, false)
	if err != nil {
		return nil, fmt.Errorf("read %s:%s: %w", s.fields[p.field], p.term, err)
	}
	return tfr, nil
}

// unionReader ORs the postings' bitmaps with scorch's unadorned
// disjunction; it must run before any of them is read.
func unionReader(ps []*posting) (bleveidx.TermFieldReader, bool, error) {
	var octx bleveidx.OptimizableContext
	for _, p := range ps {
		o, ok := p.r.(bleveidx.Optimizable)
		if !ok {
			return nil, false, nil
		}
		var err error
		if octx, err = o.Optimize("disjunction:unadorned", octx); err != nil || octx == nil {
			return nil, false, err
		}
	}
	opt, err := octx.Finish()
	if err != nil {
		return nil, false, err
	}
	tfr, ok := opt.(bleveidx.TermFieldReader)
	return tfr, ok, nil
}

// admit says whether a scored post can still reach the page, and keeps
// its score among the best if so. When the k-th best climbs into a higher
// tier, the union walks that tier's drivers from here on.
func (s *rankSearcher) admit(score float64) bool {
	p := s.prune
	p.tk.scored++
	if len(p.best) < p.k {
		p.best = append(p.best, score)
		heapUp(p.best, len(p.best)-1)
	} else {
		if score < p.best[0] {
			return false
		}
		if score == p.best[0] {
			return true // a tie at the edge: bleve's collector must see it
		}
		p.best[0] = score
		heapDown(p.best, 0)
	}
	if len(p.best) < p.k {
		return true
	}
	tier := min(int(p.best[0]/p.step), 2)
	for t := p.tier + 1; t <= tier; t++ {
		if p.drivers[t] != nil {
			// The drivers now include the lead group's phrase stems, if
			// any; a post one brings without its phrase scores 0 and is
			// not admitted.
			s.drivers, s.leads = p.drivers[t], nil
		}
	}
	p.tier = max(p.tier, tier)
	return true
}

func heapUp(h []float64, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent] <= h[i] {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func heapDown(h []float64, i int) {
	for {
		l, least := 2*i+1, i
		if l < len(h) && h[l] < h[least] {
			least = l
		}
		if r := l + 1; r < len(h) && h[r] < h[least] {
			least = r
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}

// PruneStats, put in a search's context, adds up what its pruned
// searches did, for tests and benchmarks.
type PruneStats struct {
	Searches, Pruned int
	Scored, Matched  uint64
	// SharedPhrases counts the phrase counts taken from the match
	// searcher rather than read again (phraseCount).
	SharedPhrases uint64
}

type noSharedPhrasesKey struct{}

// WithoutSharedPhrases returns a context under which the rank searcher
// counts every phrase from its own readers, so that tests and benchmarks
// can compare.
func WithoutSharedPhrases(ctx context.Context) context.Context {
	return context.WithValue(ctx, noSharedPhrasesKey{}, true)
}

type pruneStatsKey struct{}

// WithPruneStats returns a context whose relevance searches add up what
// they did in st.
func WithPruneStats(ctx context.Context, st *PruneStats) context.Context {
	return context.WithValue(ctx, pruneStatsKey{}, st)
}

func (tk *TopK) Report(ctx context.Context) {
	st, ok := ctx.Value(pruneStatsKey{}).(*PruneStats)
	if !ok || tk == nil {
		return
	}
	st.Searches++
	if tk.counted {
		st.Pruned++
		st.Scored += tk.scored
		st.Matched += tk.total
	}
}

var _ search.Searcher = (*rankSearcher)(nil)
