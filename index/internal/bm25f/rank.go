package bm25f

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/fieldstats"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snapshot"
)

// The ranking is BM25F: each scoring group is one term of a BM25 sum whose
// document is all the scored fields together, as if title, body, tags and
// authors were one text (Anserini's "flat" BM25, the stronger of its two
// published SciFact baselines), with the title's occurrences weighed
// titleWeight times. On SciFact, title weights from 2 to 6 all score
// nDCG@10 0.692–0.698 (1 gives 0.689); 3 sits in the middle of that
// plateau rather than on its peak. Alternatives of a group (synonyms, completions) add
// their occurrences to the group's, as Lucene's synonym query does, so a
// post saying "peer-to-peer" twice and "p2p" once has the concept three
// times. Unlike bleve's BM25 it uses the true mean field length, tf rather
// than √tf, idf once, and no coordination factor.
//
// On top of that sum sit two tiers, which decide before the score does:
// posts whose title holds every group, then posts that hold every group
// anywhere, then the rest. So an exact title match wins, and a post with
// all the words ranks above one with some of them.
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	titleWeight = 3.0
)

var fieldWeights = map[string]float64{schema.FieldTitle: titleWeight, schema.FieldBody: 1, schema.FieldTagText: 1, schema.FieldAuthorText: 1}

// highlighted fields get term locations for snippets.
var highlighted = map[string]bool{schema.FieldTitle: true, schema.FieldBody: true}

// Query is a bleve query: match decides which posts qualify, the
// groups decide their order.
//
// Most searches are plain words (with their synonyms, completions or
// corrections), and then match is "any alternative of any group in its
// fields": what the scorer reads anyway. bleve's searcher for it decoded
// every posting list a second time, a quarter of a search's time, so for
// such a query (anyAlt, decided by the planner) the rank searcher walks
// the union of its own postings instead (a phrase's by its rarest stem,
// keeping the posts where the phrase occurs), and match only names the
// query in cursors.
type Query struct {
	Match  bq.Query
	Groups []*Group
	Cover  []Unit
	Stats  *fieldstats.Cache
	AnyAlt bool
}

// MarshalJSON describes the query, so that a cursor can tell whether it
// belongs to the same search (index hashes this into its cursors).
func (q *Query) MarshalJSON() ([]byte, error) {
	type jsonAlt struct {
		Terms  []string `json:"terms"`
		Gaps   []int    `json:"gaps,omitempty"`
		Weight float64  `json:"weight"`
	}
	type jsonGroup struct {
		Fields []string  `json:"fields"`
		Alts   []jsonAlt `json:"alts"`
		Weight float64   `json:"weight"`
	}
	groups := make([]jsonGroup, len(q.Groups))
	for i, g := range q.Groups {
		groups[i] = jsonGroup{Fields: g.Fields, Weight: g.Weight}
		for _, a := range g.Alts {
			groups[i].Alts = append(groups[i].Alts, jsonAlt{Terms: a.Terms, Gaps: a.Gaps, Weight: a.Weight})
		}
	}
	return json.Marshal(struct {
		Match  bq.Query    `json:"match"`
		Groups []jsonGroup `json:"groups"`
		Cover  string      `json:"cover"`
	}{q.Match, groups, fmt.Sprint(q.Cover)})
}

// Searcher implements bleve's query.Query.
func (q *Query) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	st, err := q.Stats.Get(r)
	if err != nil {
		return nil, err
	}
	docs, err := r.DocCount() // live: an incremental update may have added posts
	if err != nil {
		return nil, err
	}
	st = &fieldstats.Stats{Docs: docs, AvgLen: st.AvgLen}
	s := &rankSearcher{cover: q.Cover, locations: opts.IncludeTermVectors}
	if !q.AnyAlt {
		mctx := ctx
		var reg *phraseRegistry
		// With one group the page soon fills with title matches and few
		// posts are scored: a second reader per stem cost more than it
		// saved ("peer to peer" at 100,000 posts: 5-10% slower).
		if len(q.Groups) > 1 && ctx.Value(noSharedPhrasesKey{}) == nil {
			reg = &phraseRegistry{}
			mctx = context.WithValue(ctx, phraseRegistryKey{}, reg)
			s.stats, _ = ctx.Value(pruneStatsKey{}).(*PruneStats)
		}
		ms, err := q.Match.Searcher(mctx, r, m, search.SearcherOptions{Score: "none"})
		if err != nil {
			return nil, err
		}
		s.match, s.matched = ms, reg
	}
	if err := s.open(ctx, r, q.Groups, st); err != nil {
		s.Close()
		return nil, err
	}
	s.drivers = s.words
	if tk := topKFrom(ctx); tk != nil {
		if err := s.startPruning(ctx, r, tk); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// posting reads one stem's occurrences in one field.
type posting struct {
	r     bleveidx.TermFieldReader
	term  string
	field int // index into rankSearcher.fields
	tfd   bleveidx.TermFieldDoc
	cur   *bleveidx.TermFieldDoc // the next document, nil when done
	num   uint64                 // cur's document number, compared where its id's bytes were slower
	// For a word's posting, its group, its weight (the alternative's
	// times the field's) and whether its field is the title, so that
	// score adds it up as it moves; grp is -1 for a phrase's stem.
	grp   int
	wt    float64
	title bool
	// loc reads the stem's positions, for a posting read without them
	// (openStem); located moves it to the posting's post.
	loc   *posting
	fresh bool // cur is unread
	on    bool // positioned on the scored document
}

// at moves to the document id (or past it) and reports whether the stem
// occurs there.
func (p *posting) at(id bleveidx.IndexInternalID) (bool, error) {
	return p.atNum(id, snapshot.Number(id))
}

// atNum is at for the post numbered n (id). Most of a long query's
// postings stand past the post scored, so that case returns first.
func (p *posting) atNum(id bleveidx.IndexInternalID, n uint64) (bool, error) {
	if p.fresh && (p.cur == nil || p.num > n) {
		p.on = false
		return false, nil
	}
	var err error
	if !p.fresh {
		err = p.advance(id)
		p.fresh = true
	} else if p.cur != nil && p.num < n {
		err = p.advance(id)
	}
	if err != nil {
		return false, err
	}
	p.on = p.cur != nil && p.num == n
	return p.on, nil
}

// before reports whether the posting stands before id (it has a post).
func (p *posting) before(id bleveidx.IndexInternalID) bool {
	return p.cur != nil && p.num < snapshot.Number(id)
}

func (p *posting) advance(id bleveidx.IndexInternalID) error {
	td, err := p.r.Advance(id, p.tfd.Reset())
	p.moved(td)
	return err
}

func (p *posting) next() error {
	td, err := p.r.Next(p.tfd.Reset())
	p.moved(td)
	return err
}

func (p *posting) moved(td *bleveidx.TermFieldDoc) {
	p.cur = td
	if td != nil {
		p.num = snapshot.Number(td.ID)
	}
}

// vectors are the stem's positions in the post the posting is on (for a
// posting with a loc reader, once located has moved it there).
func (p *posting) vectors() []*bleveidx.TermFieldVector {
	if p.loc == nil {
		return p.cur.Vectors
	}
	if !p.loc.on || p.loc.num != p.num {
		return nil
	}
	return p.loc.cur.Vectors
}

// located moves the loc readers of ps, which stand on id, there too.
func located(ps []*posting, id bleveidx.IndexInternalID) error {
	for _, p := range ps {
		if p.loc != nil {
			if _, err := p.loc.at(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// scoredAlt is an alternative opened for searching: one posting per field
// for a word, one per field and stem for a phrase.
type scoredAlt struct {
	Alt
	words   []*posting   // for a word: by field
	phrases [][]*posting // for a phrase: by field, then by stem
	// matched are, by field, the match searcher's phrase searchers for
	// the phrase, which count it in the posts they bring.
	matched [][]*phraseSearcher
}

type scoredGroup struct {
	alts   []*scoredAlt
	fields []int
	idf    float64
	weight float64
	avgLen float64 // the mean length of the group's fields together
	marked bool    // its locations are recorded for snippets (not excluded)
	plain  bool    // no phrase among its alternatives: score adds up its words
}

type rankSearcher struct {
	match   search.Searcher // nil: the union of all decides
	fields  []string
	weights []float64 // by field: fieldWeights, looked up once rather than per hit
	avgLens []float64
	groups  []*scoredGroup
	all     []*posting
	// The union's drivers: every word's postings, and the rarest stem's
	// of each phrase, whose posts must then hold the phrase. drivers are
	// the words' postings the union walks: all of them, or fewer once
	// pruning (prune.go) has ruled out the posts only the others hold.
	words, leads []*posting
	stems        map[stemKey]*posting // phrases' postings, shared by their stems
	matched      *phraseRegistry      // the match searcher's phrase searchers
	stats        *PruneStats
	drivers      []*posting
	prune        *pruner
	cover        []Unit
	tierStep     float64 // above any BM25 sum, so tiers decide first
	locations    bool

	dl            []float64
	hit, titleHit []bool
	// By group, the weighted occurrences of its words in the post scored
	// and whether one is in the title (plain groups, without locations).
	wordTF    []float64
	wordTitle []bool
	phrase    phraseMatcher
}

func (s *rankSearcher) fieldIndex(f string, st *fieldstats.Stats) int {
	for i, g := range s.fields {
		if g == f {
			return i
		}
	}
	s.fields = append(s.fields, f)
	s.weights = append(s.weights, fieldWeights[f])
	s.avgLens = append(s.avgLens, max(st.AvgLen[f], 1))
	return len(s.fields) - 1
}

// open reads every alternative's postings and the groups' idf.
func (s *rankSearcher) open(ctx context.Context, r bleveidx.IndexReader, groups []*Group, st *fieldstats.Stats) error {
	for _, g := range groups {
		sg := &scoredGroup{weight: g.Weight, marked: !g.Excluded, plain: true}
		gi := len(s.groups)
		for _, f := range g.Fields {
			fi := s.fieldIndex(f, st)
			sg.fields = append(sg.fields, fi)
			sg.avgLen += s.weights[fi] * s.avgLens[fi]
		}
		var df uint64
		var phraseIDF float64
		for _, a := range g.Alts {
			sa, adf, pidf, err := s.openAlt(ctx, r, gi, a, sg.fields, st.Docs)
			if err != nil {
				return err
			}
			sg.alts = append(sg.alts, sa)
			df, phraseIDF = max(df, adf), max(phraseIDF, pidf)
			sg.plain = sg.plain && !a.Phrase()
		}
		sg.idf = phraseIDF
		if df > 0 {
			sg.idf = idf(df, st.Docs)
		}
		s.tierStep += sg.weight * sg.idf * (bm25K1 + 1)
		s.groups = append(s.groups, sg)
	}
	s.tierStep++
	s.dl = make([]float64, len(s.fields))
	s.wordTF = make([]float64, len(s.groups))
	s.wordTitle = make([]bool, len(s.groups))
	s.hit = make([]bool, len(s.groups))
	s.titleHit = make([]bool, len(s.groups))
	return nil
}

// openAlt opens an alternative's postings. A word reports its document
// frequency; a phrase, whose frequency is unknown before searching,
// reports the sum of its stems' idf instead, as Lucene does.
func (s *rankSearcher) openAlt(ctx context.Context, r bleveidx.IndexReader, gi int, a Alt, fields []int, docs uint64) (*scoredAlt, uint64, float64, error) {
	sa := &scoredAlt{Alt: a}
	if !a.Phrase() {
		var df uint64
		for _, fi := range fields {
			p, err := s.openPosting(ctx, r, a.Terms[0], fi, s.locations && highlighted[s.fields[fi]])
			if err != nil {
				return nil, 0, 0, err
			}
			if p != nil {
				df = max(df, p.r.Count())
				s.words = append(s.words, p)
				p.grp, p.wt, p.title = gi, a.Weight*s.weights[fi], s.fields[fi] == schema.FieldTitle
			}
			sa.words = append(sa.words, p)
		}
		return sa, df, 0, nil
	}
	var pidf float64
	for _, fi := range fields {
		ps := make([]*posting, len(a.Terms))
		var fidf float64
		for i, t := range a.Terms {
			p, err := s.openStem(ctx, r, t, fi)
			if err != nil {
				return nil, 0, 0, err
			}
			ps[i] = p
			if p != nil {
				fidf += idf(p.r.Count(), docs)
			}
		}
		pidf = max(pidf, fidf)
		sa.phrases = append(sa.phrases, ps)
		sa.matched = append(sa.matched, s.matched.lookup(phraseKey(s.fields[fi], a.Terms, a.Gaps)))
		if lead := rarest(ps); lead != nil && !slices.Contains(s.leads, lead) {
			s.leads = append(s.leads, lead)
		}
	}
	return sa, 0, pidf, nil
}

// openPosting returns nil for a stem the field does not hold. Each reader
// counts against the request's limit on term searchers.
func (s *rankSearcher) openPosting(ctx context.Context, r bleveidx.IndexReader, term string, field int, vectors bool) (*posting, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), s.fields[field], true, true, vectors)
	if err != nil {
		return nil, fmt.Errorf("read %s:%s: %w", s.fields[field], term, err)
	}
	if tfr.Count() == 0 {
		tfr.Close()
		return nil, nil
	}
	if err := search.RecordTermSearcher(ctx); err != nil {
		tfr.Close()
		return nil, err
	}
	p := &posting{r: tfr, term: term, field: field, grp: -1}
	s.all = append(s.all, p)
	return p, nil
}

// openStem opens a phrase stem's postings, or returns those already
// open: "peer to peer" and "peer-to-peer" read peer's positions in a
// field once, not four times.
func (s *rankSearcher) openStem(ctx context.Context, r bleveidx.IndexReader, term string, field int) (*posting, error) {
	k := stemKey{term, field}
	if p, ok := s.stems[k]; ok {
		return p, nil
	}
	// Under a match searcher, whose phrase searchers have read the
	// positions of most posts scored, the stem is read without them, and
	// a second reader gets them where the phrase must be checked here.
	lazy := s.matched != nil
	p, err := s.openPosting(ctx, r, term, field, !lazy)
	if err != nil {
		return nil, err
	}
	if p != nil && lazy {
		tfr, err := r.TermFieldReader(ctx, []byte(term), s.fields[field], true, false, true)
		if err != nil {
			return nil, fmt.Errorf("read %s:%s: %w", s.fields[field], term, err)
		}
		p.loc = &posting{r: tfr, term: term, field: field}
	}
	if s.stems == nil {
		s.stems = map[stemKey]*posting{}
	}
	s.stems[k] = p
	return p, nil
}

type stemKey struct {
	term  string
	field int
}

// rarest is the stem with the fewest posts, nil when one is missing from
// the field and the phrase cannot occur there.
func rarest(ps []*posting) *posting {
	var r *posting
	for _, p := range ps {
		if p == nil {
			return nil
		}
		if r == nil || p.r.Count() < r.r.Count() {
			r = p
		}
	}
	return r
}

func idf(df, docs uint64) float64 {
	return math.Log(1 + (float64(docs)-float64(df)+0.5)/(float64(df)+0.5))
}

// Next implements search.Searcher.
func (s *rankSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.step(ctx, nil)
}

// Advance implements search.Searcher.
func (s *rankSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	return s.step(ctx, id)
}

// step returns the next post to pass on, or the first at or after
// target, scored.
func (s *rankSearcher) step(ctx *search.SearchContext, target bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	if s.match == nil {
		return s.union(ctx, target)
	}
	var dm *search.DocumentMatch
	var err error
	if target == nil {
		dm, err = s.match.Next(ctx)
	} else {
		dm, err = s.match.Advance(ctx, target)
	}
	if err != nil || dm == nil {
		return dm, err
	}
	if s.prune != nil {
		return s.pruneMatches(ctx, dm)
	}
	return dm, s.score(dm)
}

// union returns and scores the next post, or the first at or after
// target, that holds a word of the query or one of its phrases.
func (s *rankSearcher) union(ctx *search.SearchContext, target bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	for {
		first, word, err := s.nextCandidate(target)
		if err != nil || first == nil {
			return nil, err
		}
		dm := ctx.DocumentMatchPool.Get()
		dm.IndexInternalID = append(dm.IndexInternalID[:0], first...)
		if err := s.score(dm); err != nil {
			return nil, err
		}
		if word || slices.Contains(s.hit, true) { // else only a phrase's stem is there
			if s.prune == nil || s.admit(dm.Score) {
				return dm, nil
			}
		}
		ctx.DocumentMatchPool.Put(dm)
		target = nil
	}
}

// candidate moves the drivers on past the post returned last (those on
// it) or to target, and returns the smallest document id they stand on,
// saying whether a word stands there.
func (s *rankSearcher) candidate(target bleveidx.IndexInternalID) (first bleveidx.IndexInternalID, word bool, err error) {
	var firstNum uint64
	for i, drivers := range [2][]*posting{s.drivers, s.leads} {
		for _, p := range drivers {
			switch {
			case target != nil && (!p.fresh || p.before(target)):
				err = p.advance(target)
			case !p.fresh || target == nil && p.on:
				err = p.next()
			}
			if err != nil {
				return nil, false, err
			}
			p.fresh, p.on = true, false
			if p.cur == nil {
				continue
			}
			c := -1
			if first != nil {
				c = cmp.Compare(p.num, firstNum)
			}
			if c < 0 {
				first, firstNum, word = p.cur.ID, p.num, false
			}
			word = word || c <= 0 && i == 0
		}
	}
	return first, word, nil
}

// score computes a matching document's rank and, when asked, the places
// its words occur for snippets.
func (s *rankSearcher) score(dm *search.DocumentMatch) error {
	id := dm.IndexInternalID
	for i := range s.dl {
		s.dl[i] = -1
	}
	clear(s.wordTF)
	clear(s.wordTitle)
	n := snapshot.Number(id)
	for _, p := range s.all {
		on, err := p.atNum(id, n)
		if err != nil {
			return err
		}
		if !on {
			continue
		}
		if s.dl[p.field] < 0 && p.cur.Norm > 0 {
			s.dl[p.field] = math.Round(1 / (p.cur.Norm * p.cur.Norm))
		}
		if p.grp >= 0 { // in groupTF's order, so the sum is the same to the last bit
			s.wordTF[p.grp] += p.wt * float64(p.cur.Freq)
			s.wordTitle[p.grp] = s.wordTitle[p.grp] || p.title
		}
	}
	for i, l := range s.dl {
		if l < 0 {
			s.dl[i] = s.avgLens[i] // no query word there: assume a typical length
		}
	}
	dm.FieldTermLocations = dm.FieldTermLocations[:0]
	var sum float64
	for gi, g := range s.groups {
		tf, inTitle, err := s.groupTF(gi, g, dm)
		if err != nil {
			return err
		}
		s.hit[gi], s.titleHit[gi] = tf > 0, inTitle
		if tf == 0 {
			continue
		}
		var dl float64
		for _, fi := range g.fields {
			dl += s.weights[fi] * s.dl[fi]
		}
		norm := bm25K1 * (1 - bm25B + bm25B*dl/g.avgLen)
		sum += g.weight * g.idf * tf * (bm25K1 + 1) / (tf + norm)
	}
	dm.Score = sum + float64(s.tier())*s.tierStep
	return nil
}

// groupTF adds up the group's weighted occurrences and says whether any
// is in the title.
func (s *rankSearcher) groupTF(gi int, g *scoredGroup, dm *search.DocumentMatch) (float64, bool, error) {
	if g.plain && !s.locations { // score has added up its words
		return s.wordTF[gi], s.wordTitle[gi], nil
	}
	var tf float64
	inTitle := false
	for _, a := range g.alts {
		for i, p := range a.words {
			if p == nil || !p.on {
				continue
			}
			fi := g.fields[i]
			tf += a.Weight * s.weights[fi] * float64(p.cur.Freq)
			inTitle = inTitle || s.fields[fi] == schema.FieldTitle
			if s.locations && g.marked && highlighted[s.fields[fi]] {
				addLocations(dm, p, s.fields[fi], a.Terms[0])
			}
		}
		for i := range a.phrases {
			fi := g.fields[i]
			f := s.fields[fi]
			var rec *search.DocumentMatch
			if s.locations && g.marked && highlighted[f] {
				rec = dm
			}
			n, err := s.phraseCount(a, i, f, rec, dm.IndexInternalID)
			if err != nil {
				return 0, false, err
			}
			tf += a.Weight * s.weights[fi] * float64(n)
			inTitle = inTitle || n > 0 && f == schema.FieldTitle
		}
	}
	return tf, inTitle, nil
}

// phraseCount counts a's phrase in its i-th field of post id, where the
// stems stand (score moved them there): as the match searcher counted
// it, when it brought the post, else from the stems' positions. With
// rec, it records the occurrences as locations.
func (s *rankSearcher) phraseCount(a *scoredAlt, i int, field string, rec *search.DocumentMatch, id bleveidx.IndexInternalID) (int, error) {
	ps := a.phrases[i]
	for _, p := range ps {
		if p == nil || !p.on {
			return 0, nil
		}
	}
	if rec == nil {
		num := snapshot.Number(id)
		for _, m := range a.matched[i] {
			if n, ok := m.countAt(num); ok {
				if s.stats != nil {
					s.stats.SharedPhrases++
				}
				return n, nil
			}
		}
	}
	if err := located(ps, id); err != nil {
		return 0, err
	}
	return s.phrase.count(ps, a.Gaps, rec, field, a.Label), nil
}

// addLocations records where a word occurs in the posting's current
// document, for snippets.
func addLocations(dm *search.DocumentMatch, p *posting, field, term string) {
	for _, v := range p.cur.Vectors {
		dm.FieldTermLocations = append(dm.FieldTermLocations, search.FieldTermLocation{
			Field: field, Term: term,
			Location: search.Location{Pos: v.Pos, Start: v.Start, End: v.End},
		})
	}
}

type slot struct{ array, pos uint64 }

// phraseMatcher finds phrases in documents, reusing its state from one
// document to the next.
type phraseMatcher struct {
	next []int                                // by stem: the first vector not yet passed
	rest []map[slot]*bleveidx.TermFieldVector // by stem, for vectors out of order
}

// count counts where the phrase's stems (ps, positioned on one document)
// stand at its gaps. With rec, it records each occurrence as one location
// spanning the whole phrase, so a snippet marks "peer to peer" as a unit.
func (m *phraseMatcher) count(ps []*posting, gaps []int, rec *search.DocumentMatch, field, label string) int {
	return m.match(ps, gaps, rec, field, label, -1)
}

// has reports whether the phrase occurs at all.
func (m *phraseMatcher) has(ps []*posting, gaps []int) bool {
	return m.match(ps, gaps, nil, "", "", 1) > 0
}

// match counts up to limit occurrences (all when limit < 0). Term
// vectors come in position order, so each stem's are walked once
// alongside the first stem's; maps serve if they do not.
func (m *phraseMatcher) match(ps []*posting, gaps []int, rec *search.DocumentMatch, field, label string, limit int) int {
	for _, p := range ps {
		if p == nil || !p.on {
			return 0
		}
	}
	ordered := inOrder(ps)
	if !ordered {
		m.index(ps)
	}
	if cap(m.next) < len(ps) {
		m.next = make([]int, len(ps))
	}
	m.next = m.next[:len(ps)]
	clear(m.next)
	n := 0
	for _, v := range ps[0].vectors() {
		last, ok := v, true
		for i := 1; i < len(ps) && ok; i++ {
			want := slot{arrayPos(v), v.Pos + uint64(gaps[i])}
			if ordered {
				last, ok = m.seek(i, ps[i].vectors(), want)
			} else {
				last, ok = m.rest[i][want]
			}
		}
		if !ok {
			continue
		}
		n++
		if rec != nil {
			rec.FieldTermLocations = append(rec.FieldTermLocations, search.FieldTermLocation{
				Field: field, Term: label,
				Location: search.Location{Pos: v.Pos, Start: v.Start, End: last.End},
			})
		}
		if n == limit {
			break
		}
	}
	return n
}

// seek finds stem i's vector at want, moving only forward: the first
// stem's vectors, and so the slots wanted, come in order.
func (m *phraseMatcher) seek(i int, vs []*bleveidx.TermFieldVector, want slot) (*bleveidx.TermFieldVector, bool) {
	j := m.next[i]
	for j < len(vs) && slotOf(vs[j]).before(want) {
		j++
	}
	m.next[i] = j
	if j == len(vs) || slotOf(vs[j]) != want {
		return nil, false
	}
	for j+1 < len(vs) && slotOf(vs[j+1]) == want { // as the map keeps the last
		j++
	}
	return vs[j], true
}

func (m *phraseMatcher) index(ps []*posting) {
	for len(m.rest) < len(ps) {
		m.rest = append(m.rest, map[slot]*bleveidx.TermFieldVector{})
	}
	for i := 1; i < len(ps); i++ {
		clear(m.rest[i])
		for _, v := range ps[i].vectors() {
			m.rest[i][slotOf(v)] = v
		}
	}
}

// inOrder reports whether every stem's vectors come in slot order.
func inOrder(ps []*posting) bool {
	for _, p := range ps {
		vs := p.vectors()
		for j := 1; j < len(vs); j++ {
			if slotOf(vs[j]).before(slotOf(vs[j-1])) {
				return false
			}
		}
	}
	return true
}

func slotOf(v *bleveidx.TermFieldVector) slot { return slot{arrayPos(v), v.Pos} }

func (a slot) before(b slot) bool { return a.array < b.array || a.array == b.array && a.pos < b.pos }

func arrayPos(v *bleveidx.TermFieldVector) uint64 {
	if len(v.ArrayPositions) == 0 {
		return 0
	}
	return v.ArrayPositions[0]
}

// tier is 2 when the title holds every group, 1 when the post does, else 0.
func (s *rankSearcher) tier() int {
	if len(s.cover) == 0 {
		return 0
	}
	if holds(s.cover, s.titleHit) {
		return 2
	}
	if holds(s.cover, s.hit) {
		return 1
	}
	return 0
}

func holds(units []Unit, hit []bool) bool {
	for _, u := range units {
		if !u.holds(hit) {
			return false
		}
	}
	return true
}

func (u Unit) holds(hit []bool) bool {
	switch u.op {
	case 'g':
		return hit[u.group]
	case '|':
		for _, p := range u.parts {
			if p.holds(hit) {
				return true
			}
		}
		return false
	}
	return holds(u.parts, hit)
}

// Close implements search.Searcher.
func (s *rankSearcher) Close() error {
	var first error
	for _, p := range s.all {
		if err := p.r.Close(); err != nil && first == nil {
			first = err
		}
		if p.loc != nil {
			if err := p.loc.r.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	if s.match != nil {
		if err := s.match.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight, SetQueryNorm, Count, Min, Size and DocumentMatchPoolSize
// implement search.Searcher. The rank query is always the root, so no
// query norm applies to it.
func (s *rankSearcher) Weight() float64      { return 1 }
func (s *rankSearcher) SetQueryNorm(float64) {}
func (s *rankSearcher) Min() int             { return 0 }

// Count is, for the union, an upper bound, as for bleve's disjunction.
func (s *rankSearcher) Count() uint64 {
	if s.match != nil {
		return s.match.Count()
	}
	var n uint64
	for _, p := range s.all {
		n += p.r.Count()
	}
	return n
}

func (s *rankSearcher) Size() int {
	n := 64 * len(s.all)
	if s.match != nil {
		n += s.match.Size()
	}
	return n
}

// DocumentMatchPoolSize: the union holds no match of its own between
// calls.
func (s *rankSearcher) DocumentMatchPoolSize() int {
	if s.match != nil {
		return s.match.DocumentMatchPoolSize()
	}
	return 1
}
