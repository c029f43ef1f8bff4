package qplan

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/spell"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/qlang"
)

// Translation turns a parsed query into two things: a bleve query that
// decides which posts match (the boolean structure, phrases, fields and
// filters), and the scoring groups the ranking uses (one per word or
// phrase the reader means, with its synonyms, completions or correction
// as alternatives). See index/internal/bm25f for how the groups are scored.

// Expansion reports a word the search widened, for the query echo: the
// synonyms it also looked for, the words a last-word prefix completed to,
// or a spelling correction.
type Expansion struct {
	Text string   // as typed
	Kind string   // "synonym", "prefix" or "correction"
	Into []string // what it was widened to
}

// correction is a typo the planner found, with where it stands.
type correction struct {
	span qlang.Span
	to   string
}

// compiled is a translated node: the bleve query that matches it, whether
// it can match nothing at all (a required word the archive never uses),
// whether it is a filter (tag, author, date), and its part in the
// "all the words" test.
type compiled struct {
	q      bq.Query
	none   bool
	empty  bool // only stop words: ignored
	filter bool
	cover  *bm25f.Unit
	// anyAlt says q matches exactly the posts holding any alternative
	// (word or phrase) of its groups in their fields: the rank searcher
	// can then find them in the postings it reads to score (bm25f.Query).
	anyAlt bool
}

// planner translates one query against one build's vocabulary.
type planner struct {
	text     []rune // the query as typed
	lex      *spell.Lexicon
	an       analysis.Analyzer
	syn      *Synonyms
	suggest  bool // look for spelling corrections
	correct  bool // apply them (else only suggest them)
	prefix   bool // expand prefixes (the parser marks which words)
	rare     bool // also treat rare words as typos (few hits were found)
	rareSeen bool // a word rare enough for that pass to correct was left alone
	negated  int  // how many negations enclose the node being translated
	groups   []*bm25f.Group
	byKey    map[string]int
	fixes    []correction
	expanded []Expansion
}

var defaultFields = []string{schema.FieldTitle, schema.FieldBody, schema.FieldTagText, schema.FieldAuthorText}

func fieldsFor(f qlang.Field) []string {
	if f == qlang.FieldTitle {
		return []string{schema.FieldTitle}
	}
	return defaultFields
}

// plan translates the parsed qlang. It returns a query that matches
// nothing when a required part can never match. anyAlt says the query
// matches exactly the posts that hold an alternative of any group.
func (p *planner) plan(root *qlang.Group) (q bq.Query, cover []bm25f.Unit, anyAlt bool) {
	p.byKey = map[string]int{}
	c := p.group(root)
	switch {
	case c.none || c.empty:
		return bleve.NewMatchNoneQuery(), nil, false
	case c.cover == nil:
		return c.q, nil, false
	}
	return c.q, []bm25f.Unit{*c.cover}, c.anyAlt
}

// group translates words side by side: filters and required clauses must
// match, excluded ones must not, and of the rest at least one must match
// unless something is required.
func (p *planner) group(g *qlang.Group) compiled {
	var must, should, not []compiled
	textMust := false
	nodes := g.Nodes
	for i := 0; i < len(nodes); {
		if run := runOf(nodes[i:]); len(run) > 0 {
			should = append(should, p.run(run)...)
			i += len(run)
			continue
		}
		c, kind := p.clause(nodes[i])
		i++
		switch {
		case c.empty:
		case kind == '-':
			not = append(not, c)
		case kind == '+' || c.filter:
			must = append(must, c)
			textMust = textMust || !c.filter
		default:
			should = append(should, c)
		}
	}
	return combine(must, should, not, textMust)
}

// clause translates one clause of a group and says how it binds: '+'
// required, '-' excluded, ' ' ranked. Phrases are required.
func (p *planner) clause(n qlang.Node) (compiled, byte) {
	switch n := n.(type) {
	case *qlang.Not:
		return p.negation(n.Node), '-'
	case *qlang.Must:
		return p.node(n.Node), '+'
	case *qlang.Phrase:
		return p.node(n), '+'
	}
	return p.node(n), ' '
}

func combine(must, should, not []compiled, textMust bool) compiled {
	b := bleve.NewBooleanQuery()
	out := compiled{filter: len(should) == 0 && !textMust && len(must) > 0}
	var parts []bm25f.Unit
	for _, c := range must {
		if c.none {
			return compiled{none: true}
		}
		b.AddMust(c.q)
		parts = appendCover(parts, c.cover)
	}
	var live []bq.Query
	for _, c := range should {
		if !c.none {
			live = append(live, c.q)
			parts = appendCover(parts, c.cover)
		}
	}
	if len(should) > 0 && len(live) == 0 && !textMust {
		return compiled{none: true}
	}
	if len(live) > 0 {
		b.AddShould(live...)
		if !textMust {
			b.SetMinShould(1)
		}
	}
	// Only ranked clauses, each matching on its groups' alternatives:
	// the query matches the posts holding any of them.
	out.anyAlt = len(must) == 0 && len(not) == 0 && len(live) > 0 && !textMust
	for _, c := range should {
		out.anyAlt = out.anyAlt && c.anyAlt
	}
	for _, c := range not {
		if !c.none {
			b.AddMustNot(c.q)
		}
	}
	if len(must) == 0 && len(live) == 0 && len(not) == 0 {
		return compiled{empty: true}
	}
	out.q = b
	if len(parts) > 0 {
		u := bm25f.AllOf(parts)
		out.cover = &u
	}
	return out
}

func appendCover(parts []bm25f.Unit, u *bm25f.Unit) []bm25f.Unit {
	if u != nil {
		parts = append(parts, *u)
	}
	return parts
}

// runOf returns the words at the start of nodes that read as running text:
// unrequired terms of one text field. Synonyms of several words ("peer to
// peer") are found across such a run.
func runOf(nodes []qlang.Node) []*qlang.Term {
	var run []*qlang.Term
	for _, n := range nodes {
		t, ok := n.(*qlang.Term)
		if !ok || t.Field != qlang.FieldAny && t.Field != qlang.FieldTitle || len(run) > 0 && t.Field != run[0].Field {
			break
		}
		run = append(run, t)
	}
	return run
}

// node translates a node outside a run.
func (p *planner) node(n qlang.Node) compiled {
	switch n := n.(type) {
	case *qlang.Group:
		return p.group(n)
	case *qlang.And:
		return p.and(n)
	case *qlang.Or:
		return p.or(n)
	case *qlang.Not:
		c := p.negation(n.Node)
		if c.empty || c.none {
			return compiled{q: bleve.NewMatchAllQuery(), filter: c.filter}
		}
		b := bleve.NewBooleanQuery()
		b.AddMustNot(c.q)
		return compiled{q: b, filter: c.filter}
	case *qlang.Must:
		return p.node(n.Node)
	case *qlang.Term:
		return p.term(n)
	case *qlang.Phrase:
		return p.phrase(n)
	case *qlang.DateRange:
		return compiled{q: dateRange(n.From, n.To), filter: true}
	}
	panic(fmt.Sprintf("index: unknown query node %T", n))
}

// negation translates what a query excludes: its groups are not marked.
func (p *planner) negation(n qlang.Node) compiled {
	p.negated++
	defer func() { p.negated-- }()
	return p.node(n)
}

func (p *planner) and(n *qlang.And) compiled {
	var must, not []compiled
	filter := true
	for _, c := range n.Nodes {
		if neg, ok := c.(*qlang.Not); ok {
			not = append(not, p.negation(neg.Node))
			continue
		}
		cc := p.node(c)
		if !cc.empty {
			must = append(must, cc)
			filter = filter && cc.filter
		}
	}
	c := combine(must, nil, not, !filter)
	c.filter = filter && len(must) > 0
	return c
}

func (p *planner) or(n *qlang.Or) compiled {
	var qs []bq.Query
	var parts []bm25f.Unit
	filter, covered := true, true
	for _, c := range n.Nodes {
		cc := p.node(c)
		if cc.empty || cc.none {
			continue
		}
		qs = append(qs, cc.q)
		filter = filter && cc.filter
		if cc.cover == nil {
			covered = false
		}
		parts = appendCover(parts, cc.cover)
	}
	if len(qs) == 0 {
		return compiled{none: true}
	}
	out := compiled{q: bleve.NewDisjunctionQuery(qs...), filter: filter}
	if covered && len(parts) > 0 {
		u := bm25f.AnyOf(parts)
		out.cover = &u
	}
	return out
}

// term translates a single word outside running text.
func (p *planner) term(t *qlang.Term) compiled {
	switch t.Field {
	case qlang.FieldTag:
		if t.Prefix {
			q := bleve.NewPrefixQuery(post.NormalizeTag(t.Text))
			q.SetField(schema.FieldTags)
			return compiled{q: q, filter: true}
		}
		return compiled{q: tagQuery(t.Text), filter: true}
	case qlang.FieldAuthor:
		return authorFilter(t.Text)
	}
	toks := p.tokens(t.Text, t, 0)
	if len(toks) == 1 {
		p.fixTypos(toks, fieldsFor(t.Field))
		return p.single(toks[0], fieldsFor(t.Field))
	}
	return p.sequence(toks, t.Text, fieldsFor(t.Field))
}

// authorFilter narrows to posts by an author whose name holds the words.
func authorFilter(text string) compiled {
	q := bleve.NewMatchPhraseQuery(text)
	q.SetField(schema.FieldAuthorText)
	return compiled{q: q, filter: true}
}

func (p *planner) phrase(ph *qlang.Phrase) compiled {
	switch ph.Field {
	case qlang.FieldTag:
		return compiled{q: tagQuery(ph.Text), filter: true}
	case qlang.FieldAuthor:
		return authorFilter(ph.Text)
	}
	toks := p.tokens(ph.Text, nil, 0)
	for i := range toks {
		toks[i].prefix = false
	}
	if len(toks) == 1 {
		return p.addGroup(fieldsFor(ph.Field), []bm25f.Alt{{Terms: []string{toks[0].term}, Weight: 1, Label: toks[0].surface}})
	}
	return p.sequence(toks, ph.Text, fieldsFor(ph.Field))
}

// sequence is several words that belong together (a phrase, or one word
// the analyzer splits, such as go-ipfs): a synonym if they spell one out,
// otherwise a phrase.
func (p *planner) sequence(toks []qtoken, text string, fields []string) compiled {
	if len(toks) == 0 {
		return compiled{empty: true}
	}
	if set, n := p.syn.match(toks, 0); n == len(toks) {
		return p.synonymGroup(set, text, fields)
	}
	a := phraseAlt(toks, text)
	if !p.live(a, fields) {
		return compiled{none: true}
	}
	return p.addGroup(fields, []bm25f.Alt{a})
}

// phraseAlt is the alternative of toks in their order, at their
// distances (a dropped stop word leaves a gap), labelled text.
func phraseAlt(toks []qtoken, text string) bm25f.Alt {
	a := bm25f.Alt{Weight: 1, Label: text}
	for _, tk := range toks {
		a.Terms = append(a.Terms, tk.term)
		a.Gaps = append(a.Gaps, tk.pos-toks[0].pos)
	}
	return a
}

// run translates running text: each word is its own group, except where
// several words spell out a synonym.
func (p *planner) run(terms []*qlang.Term) []compiled {
	fields := fieldsFor(terms[0].Field)
	var toks []qtoken
	base := 0
	for _, t := range terms {
		ts := p.tokens(t.Text, t, base)
		toks = append(toks, ts...)
		base = nextBase(ts, base)
	}
	p.fixTypos(toks, fields)
	var out []compiled
	for i := 0; i < len(toks); {
		end := wordEnd(toks, i)
		if set, n := p.syn.match(toks, i); n > 0 && wordEnd(toks, i+n-1) == i+n {
			out = append(out, p.synonymGroup(set, p.typed(toks[i:i+n]), fields))
			i += n
			continue
		}
		if end-i > 1 || toks[i].src != nil && wordParts(toks[i].src.Text) > 1 {
			out = append(out, p.compound(toks[i:end], fields))
			i = end
			continue
		}
		out = append(out, p.single(toks[i], fields))
		i++
	}
	return out
}

// wordEnd is the index just past the tokens of the typed word toks[i]
// belongs to: one word the analyzer may have split (peer-to-peer, go-ipfs).
func wordEnd(toks []qtoken, i int) int {
	end := i + 1
	for end < len(toks) && toks[end].src == toks[i].src && toks[i].src != nil {
		end++
	}
	return end
}

// joined is the stem of a split word's parts written as one word (e-mail
// as email, on-chain as onchain), when the archive uses it that way: the
// same word, spelt the other way. "" otherwise.
func (p *planner) joined(toks []qtoken) string {
	var b strings.Builder
	for _, tk := range toks {
		b.WriteString(tk.surface)
	}
	ts := p.an.Analyze([]byte(b.String()))
	if len(ts) != 1 {
		return ""
	}
	return string(ts[0].Term)
}

// wordParts counts the runs of letters and digits in a typed word: more
// than one is a word the analyzer splits, though it may keep only one
// part (on-chain, whose "on" is a stop word).
func wordParts(text string) int {
	n, in := 0, false
	for _, r := range text {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		if alnum && !in {
			n++
		}
		in = alnum
	}
	return n
}

// maxCompoundCompletions bounds the phrases a split word being typed is
// widened to: each is checked against positions, not just postings.
const maxCompoundCompletions = 8

// compound translates one typed word the analyzer splits (peer-to-peer,
// content-addressed, e-mail) as the phrase of its parts, as Lucene's and
// Google's query parsers read a hyphenated word, or as its parts written
// as one word (email): its parts as separate words would find every post
// that uses any of them, and rank a post about peer IDs above one about
// peer-to-peer networks. A synonym it spells out wins. When its last part
// is not yet a word of the archive, the reader is still typing it, and
// the phrases ending in the part's completions count too.
func (p *planner) compound(toks []qtoken, fields []string) compiled {
	text := p.typed(toks)
	if set, n := p.syn.match(toks, 0); n == len(toks) {
		return p.synonymGroup(set, text, fields)
	}
	whole := phraseAlt(toks, text)
	alts := []bm25f.Alt{whole}
	if joined := p.joined(toks); joined != "" {
		alts = append(alts, bm25f.Alt{Terms: []string{joined}, Weight: 1, Label: joined})
	}
	last := toks[len(toks)-1]
	if last.prefix && p.prefix && p.lex.DF(last.term, fields) == 0 {
		for _, s := range p.completions(last, fields, maxCompoundCompletions) {
			a := whole
			a.Terms = append(slices.Clone(whole.Terms[:len(whole.Terms)-1]), s)
			a.Label = strings.TrimSuffix(text, last.surface) + s
			alts = append(alts, a)
		}
	}
	var live []bm25f.Alt
	for _, a := range alts {
		if p.live(a, fields) {
			live = append(live, a)
		}
	}
	if len(live) == 0 {
		return compiled{none: true, anyAlt: true} // no group: nothing to find
	}
	return p.addGroup(fields, live)
}

func nextBase(ts []qtoken, base int) int {
	if len(ts) == 0 {
		return base + 1
	}
	return ts[len(ts)-1].pos + 1
}

// typed is the query text the tokens came from.
func (p *planner) typed(ts []qtoken) string {
	first, ok1 := p.spanOf(&ts[0])
	last, ok2 := p.spanOf(&ts[len(ts)-1])
	if ok1 && ok2 && 0 <= first.Start && first.Start < last.End && last.End <= len(p.text) {
		return string(p.text[first.Start:last.End])
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.surface
	}
	return strings.Join(parts, " ")
}

// single translates one word: its synonyms, or its completions when it is
// being typed, or just the word.
func (p *planner) single(tk qtoken, fields []string) compiled {
	if set, n := p.syn.match([]qtoken{tk}, 0); n == 1 {
		return p.synonymGroup(set, tk.surface, fields)
	}
	alts := []bm25f.Alt{{Terms: []string{tk.term}, Weight: 1, Label: tk.surface}}
	if tk.prefix && p.prefix {
		alts = p.complete(tk, alts, fields)
	}
	live := false
	for _, a := range alts {
		live = live || p.lex.DF(a.Terms[0], fields) > 0
	}
	if !live {
		return compiled{none: true, anyAlt: true} // no group: nothing to find
	}
	return p.addGroup(fields, alts)
}

// complete adds the words the reader may be typing. When what they typed
// is already a word of the archive the completions count for little: the
// word is probably finished.
func (p *planner) complete(tk qtoken, alts []bm25f.Alt, fields []string) []bm25f.Alt {
	w := 1.0
	if p.lex.DF(tk.term, fields) > 0 {
		w = spell.CompletionWeight
	}
	for _, s := range p.completions(tk, fields, -1) {
		alts = append(alts, bm25f.Alt{Terms: []string{s}, Weight: w, Label: s})
	}
	return alts
}

// completions are the archive's words tk may be the start of, other than
// its own stem, at most max of them (max < 0: all the lexicon offers);
// they are recorded as the query's expansion.
func (p *planner) completions(tk qtoken, fields []string, max int) []string {
	var into []string
	for _, s := range p.lex.Completions(tk.surface) {
		if len(into) == max {
			break
		}
		if s == tk.term || p.lex.DF(s, fields) == 0 {
			continue
		}
		into = append(into, s)
	}
	if len(into) > 0 {
		p.expanded = append(p.expanded, Expansion{Text: tk.surface, Kind: "prefix", Into: into})
	}
	return into
}

// live says whether every term of a is a word of the fields, without
// which it can match nothing.
func (p *planner) live(a bm25f.Alt, fields []string) bool {
	for _, t := range a.Terms {
		if p.lex.DF(t, fields) == 0 {
			return false
		}
	}
	return true
}

func (p *planner) synonymGroup(set int, text string, fields []string) compiled {
	alts := p.syn.alts(set)
	var into []string
	live := false
	for _, a := range alts {
		into = append(into, a.Label)
		live = live || p.live(a, fields)
	}
	p.expanded = append(p.expanded, Expansion{Text: text, Kind: "synonym", Into: into})
	if !live {
		return compiled{none: true, anyAlt: true} // no group: nothing to find
	}
	return p.addGroup(fields, alts)
}

// addGroup records a scoring group (once per distinct group; asking twice
// weighs double) and returns the query that matches it.
func (p *planner) addGroup(fields []string, alts []bm25f.Alt) compiled {
	key := groupKey(fields, alts)
	gi, ok := p.byKey[key]
	if ok {
		p.groups[gi].Weight++
		p.groups[gi].Excluded = p.groups[gi].Excluded && p.negated > 0
	} else {
		gi = len(p.groups)
		p.byKey[key] = gi
		p.groups = append(p.groups, &bm25f.Group{Fields: fields, Alts: alts, Weight: 1, Excluded: p.negated > 0})
	}
	u := bm25f.GroupUnit(gi)
	return compiled{q: groupQuery(fields, alts), cover: &u, anyAlt: true}
}

func groupKey(fields []string, alts []bm25f.Alt) string {
	var b strings.Builder
	b.WriteString(strings.Join(fields, ","))
	for _, a := range alts {
		fmt.Fprintf(&b, "|%v%v%g", a.Terms, a.Gaps, a.Weight)
	}
	return b.String()
}

// groupQuery matches any alternative in any of the fields.
func groupQuery(fields []string, alts []bm25f.Alt) bq.Query {
	var qs []bq.Query
	for _, f := range fields {
		for _, a := range alts {
			if a.Phrase() {
				qs = append(qs, bm25f.NewPhraseQuery(a, f))
				continue
			}
			tq := bleve.NewTermQuery(a.Terms[0])
			tq.SetField(f)
			qs = append(qs, tq)
		}
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func tagQuery(tag string) bq.Query {
	q := bleve.NewTermQuery(post.NormalizeTag(tag))
	q.SetField(schema.FieldTags)
	return q
}

// qtoken is one analysed word of the qlang.
type qtoken struct {
	term    string // the stem
	pos     int    // position, counting dropped stop words
	surface string // the word as typed
	src     *qlang.Term
	start   int  // byte offset of surface in src.Text
	prefix  bool // the word is being typed: complete it
	typed   int  // runes of the word as typed: a correction replaces surface
}

// tokens analyses text; positions start at base. The last token of a
// prefix term is marked for completion.
func (p *planner) tokens(text string, src *qlang.Term, base int) []qtoken {
	var out []qtoken
	for _, t := range p.an.Analyze([]byte(text)) {
		surface := text[t.Start:t.End]
		out = append(out, qtoken{term: string(t.Term), pos: base + t.Position - 1, surface: surface, src: src, start: t.Start, typed: utf8.RuneCountInString(surface)})
	}
	if src != nil && src.Prefix && len(out) > 0 && lastWordEnds(text, out[len(out)-1].surface) {
		out[len(out)-1].prefix = true
	}
	return out
}

func lastWordEnds(text, surface string) bool {
	return strings.HasSuffix(strings.TrimRight(text, ".,;:!?)]}'\""), surface)
}

// fixTypos corrects words the archive never uses (or, after a search with
// few hits, words it barely uses) to the nearest common word, in place.
// Words that are part of a synonym, being completed, or split by the
// analyzer (go-ipfs) are left alone.
func (p *planner) fixTypos(toks []qtoken, fields []string) {
	if !p.suggest {
		return
	}
	for i := 0; i < len(toks); i++ {
		if _, n := p.syn.match(toks, i); n > 0 {
			i += n - 1
			continue
		}
		tk := &toks[i]
		span, ok := p.spanOf(tk)
		if !ok {
			continue
		}
		df := p.lex.DF(tk.term, fields)
		if tk.prefix && df == 0 && len(p.lex.Completions(tk.surface)) > 0 {
			continue
		}
		minDF := uint64(1)
		switch {
		case df == 0:
		case df <= spell.RareDF && !p.rare:
			p.rareSeen = true
			continue
		case df <= spell.RareDF:
			minDF = df * spell.RareRatio
		default:
			continue
		}
		c, ok := p.lex.Correction(tk.surface, minDF)
		stem := p.lex.Stem(c.Word)
		if !ok || stem == "" || stem == tk.term || p.lex.DF(stem, fields) == 0 {
			continue
		}
		p.fixes = append(p.fixes, correction{span: span, to: matchCase(tk.surface, c.Word)})
		p.expanded = append(p.expanded, Expansion{Text: tk.surface, Kind: "correction", Into: []string{c.Word}})
		if p.correct {
			tk.term, tk.surface, tk.prefix = stem, c.Word, false
		}
	}
}

// spanOf finds where a token stands in the query text. A word written
// with escapes has no single place, and is not corrected.
func (p *planner) spanOf(tk *qtoken) (qlang.Span, bool) {
	src := tk.src
	if src == nil || src.Pos.End > len(p.text) {
		return qlang.Span{}, false
	}
	raw := string(p.text[src.Pos.Start:src.Pos.End])
	raw = strings.TrimSuffix(raw, "*")
	if !strings.HasSuffix(raw, src.Text) {
		return qlang.Span{}, false
	}
	before := raw[:len(raw)-len(src.Text)] + src.Text[:tk.start]
	start := src.Pos.Start + utf8.RuneCountInString(before)
	return qlang.Span{Start: start, End: start + tk.typed}, true
}

// matchCase writes a correction the way the reader wrote the word: in
// capitals if they used capitals, else as the archive writes it.
func matchCase(typed, word string) string {
	if typed == strings.ToUpper(typed) && utf8.RuneCountInString(typed) > 1 {
		return strings.ToUpper(word)
	}
	if r, _ := utf8.DecodeRuneInString(typed); r >= 'A' && r <= 'Z' {
		return strings.ToUpper(word[:1]) + word[1:]
	}
	return word
}

// suggestion rewrites the query text with the corrections.
func (p *planner) suggestion(text string) string {
	if len(p.fixes) == 0 {
		return ""
	}
	slices.SortFunc(p.fixes, func(a, b correction) int { return a.span.Start - b.span.Start })
	rs := []rune(text)
	var b strings.Builder
	last := 0
	for _, f := range p.fixes {
		if f.span.Start < last || f.span.End > len(rs) {
			continue
		}
		b.WriteString(string(rs[last:f.span.Start]))
		b.WriteString(f.to)
		last = f.span.End
	}
	b.WriteString(string(rs[last:]))
	return b.String()
}
