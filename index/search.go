package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/facet"
	"github.com/blust/archive/index/internal/qplan"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snapshot"
	"github.com/blust/archive/index/internal/snippet"
	"github.com/blust/archive/index/internal/spell"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/qlang"
)

// A search: the request, its validation and limits, its plan
// (index/internal/qplan), its run through bleve with the ranking
// (index/internal/bm25f), facets (index/internal/facet) and snippets
// (index/internal/snippet), and the page it answers.

// Sort is the order of search results.
type Sort string

// The orders a search can ask for.
const (
	SortRelevance Sort = "relevance"
	SortNewest    Sort = "newest"
	SortOldest    Sort = "oldest"
)

// Limits on what one request may ask for. bleve keeps From+Size hits in
// memory and has no window cap of its own.
const (
	MaxPerPage      = 100
	MaxWindow       = 10000
	DefaultFragSize = 200
	MaxFragments    = 5
)

// Request is one search: free text plus filters, order, page and snippets.
type Request struct {
	Query        string
	Tags         []string  // every tag must be present (case-insensitive)
	Author       string    // case-insensitive exact author name
	From, To     time.Time // inclusive; zero means open
	Sort         Sort
	Offset, Size int
	Fragments    int // snippets per hit; 0 turns highlighting off
	FragmentSize int // bytes per snippet; 0 means DefaultFragSize
	Facets       []string
	FacetSize    int // values per tags/authors facet; 0 means DefaultFacetSize
	// Cursor resumes after the last hit of an earlier page (its
	// Result.NextCursor); it needs the same query, filters and sort, and
	// Offset 0.
	Cursor string

	// Mode is how Query is read ("" means query.ModeAuto); Literal runs
	// the words as typed, without spelling correction.
	Mode    qlang.Mode
	Literal bool
}

// Result is one page of hits and what the whole result set looks like.
type Result struct {
	Total   uint64
	Took    time.Duration
	Hits    []Hit
	Facets  map[string][]FacetCount
	BuildID string
	Offset  int // hits of the result set before this page
	// NextCursor resumes after this page; "" when no hits follow.
	NextCursor string

	// Parsed is the query as it was read; Expansions are the synonyms,
	// completions and corrections it was widened with.
	Parsed     *qlang.Echo
	Expansions []Expansion
	// Suggestion is the query with its typos corrected, "" if none was
	// found. Corrected says the hits are for Suggestion rather than for
	// what was typed (in advanced mode and for literal requests the typed
	// query runs, and Suggestion is only offered).
	Suggestion string
	Corrected  bool
}

// Hit is one matching post with what a results page shows of it.
type Hit struct {
	Slug      string
	Title     string
	TitleHTML string // HTML-escaped title with matches in <mark>
	Date      time.Time
	Authors   []string
	Tags      []string
	Summary   string
	Words     int
	Score     float64
	Fragments []Fragment
}

// Fragment is one snippet of a hit's text.
type Fragment = snippet.Fragment

// FacetCount is one value of a facet with the number of matching posts.
type FacetCount = facet.Count

// Facet names a request may ask for.
const (
	FacetTags    = facet.Tags
	FacetAuthors = facet.Authors
	FacetYear    = facet.Year
	FacetMonth   = facet.Month
)

// FacetNames lists every facet, in the order they are documented.
var FacetNames = facet.Names

// Facet sizes for the value facets (tags, authors); period facets list
// every period that has a post.
const (
	DefaultFacetSize = facet.DefaultSize
	MaxFacetSize     = facet.MaxSize
)

// Expansion reports a word the search widened, for the query echo: the
// synonyms it also looked for, the words a last-word prefix completed to,
// or a spelling correction.
type Expansion = qplan.Expansion

// RequestError is a request the index refuses; Param names the culprit.
type RequestError struct {
	Param string
	Msg   string
}

func (e *RequestError) Error() string { return e.Param + ": " + e.Msg }

func (r *Request) validate() error {
	if r.Size < 0 || r.Size > MaxPerPage {
		return &LimitError{LimitPerPage, "per_page", fmt.Sprintf("must be between 1 and %d", MaxPerPage)}
	}
	if r.Offset < 0 || r.Offset+r.Size > MaxWindow {
		return &LimitError{LimitDeepPaging, "page", fmt.Sprintf("results beyond the first %d can only be reached with a cursor (next_cursor)", MaxWindow)}
	}
	return r.validateQuery()
}

// validateQuery checks what every search shares, however it is paged.
func (r *Request) validateQuery() error {
	if err := checkTerms(r.Query); err != nil {
		return err
	}
	switch r.Sort {
	case "", SortRelevance, SortNewest, SortOldest:
	default:
		return &RequestError{"sort", fmt.Sprintf("unknown order %q; use relevance, newest or oldest", r.Sort)}
	}
	if r.Cursor != "" && r.Offset != 0 {
		return &RequestError{"page", "cannot be combined with a cursor; the cursor already says where to go on"}
	}
	if r.Fragments < 0 || r.Fragments > MaxFragments {
		return &RequestError{"fragments", fmt.Sprintf("must be between 0 and %d", MaxFragments)}
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return &RequestError{"to", "is before from"}
	}
	for _, f := range r.Facets {
		if !facet.Valid(f) {
			return &RequestError{"facets", fmt.Sprintf("unknown facet %q; use %s", f, facet.List())}
		}
	}
	if r.FacetSize < 0 || r.FacetSize > MaxFacetSize {
		return &RequestError{"facet_size", fmt.Sprintf("must be between 1 and %d", MaxFacetSize)}
	}
	return nil
}

// Search runs a request against the serving build. Bad requests fail
// with a *RequestError naming the parameter.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	if r.Size == 0 {
		r.Size = 10
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	key := browseKey(r)
	if key == "" {
		return ix.run(ctx, r)
	}
	start, label := time.Now(), ix.Manifest().Label()
	if res, ok := ix.caches.browse.get(label, key); ok {
		out := copyResult(res)
		out.Took = time.Since(start)
		return out, nil
	}
	res, err := ix.run(ctx, r)
	if err == nil && res.BuildID == label {
		ix.caches.browse.put(label, key, copyResult(res))
	}
	return res, err
}

// run searches without the page-size limits, which Scan does not need.
// A build switch during the search would mix builds (a cursor checked
// against one, hits from the other), so the search is then repeated.
func (ix *Index) run(ctx context.Context, r Request) (*Result, error) {
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		return nil, fmt.Errorf("q: %w", err)
	}
	ctx = withTermLimit(ctx)
	extra := 0 // hits asked past the page in score order; 0 asks for the full order
	if scoreOnlyOK(r) {
		extra = 1
	}
	for range 5 {
		build, label := ix.buildID(), ix.Manifest().Label()
		out, settled, err := ix.runText(ctx, r, parsed, build, extra)
		if errors.Is(err, errSwitched) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if ix.buildID() != build {
			continue
		}
		if !settled { // a tie at the page's edge: room for it, then the full order
			if extra == 1 {
				extra = bm25f.TieRoom
			} else {
				extra = 0
			}
			continue
		}
		out.BuildID = label // the exact state, which incremental syncs advance
		return out, nil
	}
	return nil, fmt.Errorf("search %q: %w", r.Query, ErrBusy)
}

// runText searches for a parsed query on build. When the search finds
// almost nothing, it is tried again with rare words taken for typos too.
// settled is false when a score-only page ended in a tie.
func (ix *Index) runText(ctx context.Context, r Request, parsed *qlang.Query, build string, extra int) (out *Result, settled bool, err error) {
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		return nil, false, err
	}
	narrow, err := ix.narrowUnranked(ctx, r, pl)
	if err != nil {
		return nil, false, err
	}
	if narrow != nil {
		extra = 0 // every match scores the same: a score-only page would end in a tie
	}
	out, settled, err = ix.runPlanOn(ctx, r, pl, build, extra, narrow)
	if errors.Is(err, errNarrowShort) || errors.Is(err, qplan.ErrSnapshotMoved) {
		out, settled, err = ix.runPlan(ctx, r, pl, build, extra)
	}
	if err != nil || !settled {
		return nil, settled, err
	}
	if pl.Retry(parsed, r.Literal, out.Total) {
		pl2, err := ix.planText(ctx, parsed, r, true)
		if err != nil {
			return nil, false, err
		}
		if pl2.Suggestion != "" {
			out2, settled, err := ix.runPlan(ctx, r, pl2, build, extra)
			if err != nil || !settled {
				return nil, settled, err
			}
			if out2.Total > out.Total {
				pl, out = pl2, out2
			}
		}
	}
	out.Parsed, out.Expansions = parsed.Echo(), pl.Expanded
	out.Suggestion, out.Corrected = pl.Suggestion, pl.Corrected
	return out, true, nil
}

// planText translates a parsed query against the serving build's
// vocabulary (index/internal/qplan). rare also corrects words the
// archive barely uses.
func (ix *Index) planText(ctx context.Context, parsed *qlang.Query, r Request, rare bool) (*qplan.Plan, error) {
	f := qplan.Filters{Tags: r.Tags, Author: r.Author, From: r.From, To: r.To}
	if parsed.Empty() {
		return qplan.MatchAll(f), nil
	}
	ix.mu.RLock()
	b, syn, voc := ix.cur, ix.syn, ix.cur.voc // a sync replaces voc in place (saveManifest)
	rd, err := build.SnapshotReader(b.idx)
	ix.mu.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	defer rd.Close()
	return qplan.Translate(parsed, qplan.Options{
		Lexicon:  spell.New(ctx, rd, voc, ix.an),
		Analyzer: ix.an,
		Synonyms: syn,
		Stats:    b.stats,
		Filters:  f,
		Literal:  r.Literal,
		Rare:     rare,
	}), nil
}

// buildQuery translates r's text and filters into the bleve query a
// search runs. It fails with an error wrapping *query.Error for a
// malformed query.
func (ix *Index) buildQuery(ctx context.Context, r Request) (bq.Query, error) {
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		return nil, fmt.Errorf("q: %w", err)
	}
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		return nil, err
	}
	return pl.Query, nil
}

// CheckSynonyms reports whether synonym groups can be used for searching
// (WithSynonyms would accept them): the error is a *post.Problem naming
// the group's line.
func CheckSynonyms(groups []post.SynonymGroup) error {
	m, err := schema.NewMapping()
	if err != nil {
		return err
	}
	_, err = qplan.CompileSynonyms(groups, m.AnalyzerNamed(schema.AnalyzerText))
	return err
}

// runPlan runs one translated query. With extra > 0 it sorts by score
// alone, asking extra hits more to see whether the page ends in a tie
// (bm25f.ScoreOnlyPage).
func (ix *Index) runPlan(ctx context.Context, r Request, pl *qplan.Plan, build string, extra int) (*Result, bool, error) {
	return ix.runPlanOn(ctx, r, pl, build, extra, nil)
}

// runPlanOn is runPlan, running narrow's query in place of pl's when
// narrow is not nil (narrowFilterOnly).
func (ix *Index) runPlanOn(ctx context.Context, r Request, pl *qplan.Plan, build string, extra int, narrow *narrowed) (*Result, bool, error) {
	q := pl.Query
	if narrow != nil {
		q = narrow.query
	}
	p, err := ix.prepare(ctx, r, q, build)
	if err != nil {
		return nil, false, err
	}
	if narrow != nil { // the cursor names the search asked for, not its narrowed form
		if p.sig, err = querySignature(pl.Query, r.Sort); err != nil {
			p.page.Release()
			return nil, false, err
		}
	}
	defer p.page.Release()
	var tk *bm25f.TopK
	if extra > 0 {
		p.req.Size = r.Size + extra
		p.req.SortByCustom(bm25f.ScoreOrder)
		if bm25f.Pruning(ctx) {
			ctx, tk = bm25f.WithTopK(ctx, p.req.Size, p.facets != nil)
			if p.facets != nil {
				p.facets.ListedBy(tk) // pruned, its searcher passes on only the page's contenders
			}
		}
	}
	res, err := ix.alias.SearchInContext(ctx, p.req)
	if err != nil {
		return nil, false, fmt.Errorf("search %q: %w", r.Query, expansionError(err))
	}
	if res.Status != nil && res.Status.Failed > 0 {
		return nil, false, fmt.Errorf("search %q: %w", r.Query, expansionError(statusError(res.Status.Errors)))
	}
	if n, ok := tk.Total(); ok {
		res.Total = n // bleve counted the hits it was passed, not the matches
	}
	if narrow != nil {
		if res.Total < narrow.need {
			return nil, false, errNarrowShort
		}
		res.Total = narrow.total
	}
	tk.Report(ctx)
	if extra > 0 {
		page, ok := bm25f.ScoreOnlyPage(res.Hits, r.Size, p.req.Size)
		if !ok {
			return nil, false, nil
		}
		res.Hits = page
	}
	if p.fields != nil && len(res.Hits) > 0 {
		if err := snapshot.LoadFields(p.page.Snap, res.Hits, p.fields); err != nil {
			return nil, false, fmt.Errorf("search %q: %w", r.Query, err)
		}
	}
	if extra > 0 {
		res.Hits = bm25f.SettleScoreOnly(res.Hits, r.Size)
	}
	if r.Fragments > 0 {
		if err := ix.loadBodies(res.Hits); err != nil {
			return nil, false, fmt.Errorf("search %q: %w", r.Query, err)
		}
	}
	if err := p.page.Fill(ctx, res.Hits); err != nil {
		return nil, false, fmt.Errorf("search %q: %w", r.Query, err)
	}
	return p.result(ctx, res, r, ix.log), true, nil
}

// scoreOnlyOK says whether r may take the score-only path: the first page
// of a relevance search with query text. Without text every post scores
// the same and the tie-breakers decide everything.
func scoreOnlyOK(r Request) bool {
	return r.Cursor == "" && r.Offset == 0 && r.Size > 0 && (r.Sort == "" || r.Sort == SortRelevance) &&
		strings.TrimSpace(r.Query) != ""
}

// ErrBusy reports that the index kept switching builds during a request.
var ErrBusy = errors.New("the index is switching builds; try again")

// buildID is the serving build. Cursors are tied to it rather than to
// the label, so a paged export survives an editor's incremental sync the
// way search_after survives writes in Elasticsearch.
func (ix *Index) buildID() string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.cur.manifest.ID
}

// prepared is a request ready to run on one build.
type prepared struct {
	req    *bleve.SearchRequest
	order  search.SortOrder
	build  string
	sig    string // querySignature of the request
	offset int    // hits before the page: Offset, or the cursor's count
	facets *facet.Sink
	page   *bm25f.Page // the page's term locations, when snippets need them
	fields []string    // stored fields page loads after the search
}

// prepare turns r, whose text is translated to q, into a bleve request
// for build, resuming after r's cursor if it has one.
func (ix *Index) prepare(ctx context.Context, r Request, q bq.Query, build string) (*prepared, error) {
	sig, err := querySignature(q, r.Sort)
	if err != nil {
		return nil, err
	}
	p := &prepared{order: sortOrder(r.Sort), build: build, sig: sig, offset: r.Offset}
	if r.Fragments > 0 {
		q, p.page = bm25f.ForPage(q)
	}
	if len(r.Facets) > 0 {
		p.facets = facet.NewSink(&ix.caches.facets, r.Facets, r.FacetSize)
		q = p.facets.Wrap(q)
	}
	p.req = bleve.NewSearchRequestOptions(q, r.Size, r.Offset, false)
	p.req.SortByCustom(p.order)
	if r.Cursor != "" {
		c, err := decodeCursor(r.Cursor, build, sig, p.order)
		if err != nil {
			return nil, err
		}
		p.req.SetSearchAfter(c.After)
		p.offset = c.Seen
	}
	p.req.Fields = []string{schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	if r.Fragments > 0 {
		p.req.Fields = append(p.req.Fields, schema.FieldBodyRef)
		p.req.IncludeLocations = p.page == nil // else read for the page alone, after the search
	}
	if p.page != nil { // the page's snapshot is kept: read the fields from there (snapshot.LoadFields)
		p.fields, p.req.Fields = p.req.Fields, nil
	}
	return p, nil
}

// result converts bleve's answer and makes the cursor for the next page.
// Marking the hits' words is bounded by ctx, and a failure there costs a
// hit its marks, never the page (highlighter).
func (p *prepared) result(ctx context.Context, res *bleve.SearchResult, r Request, log *slog.Logger) *Result {
	out := &Result{Total: res.Total, Took: res.Took, BuildID: p.build, Offset: p.offset}
	if p.facets != nil {
		out.Facets = p.facets.Counts()
	}
	hl := highlighter{ctx: ctx, log: log, mark: markHit}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hl.hit(h, r))
	}
	seen := p.offset + len(res.Hits)
	if n := len(res.Hits); n > 0 && uint64(seen) < res.Total {
		out.NextCursor = cursor{V: cursorVersion, Build: p.build, Sig: p.sig, After: afterValues(p.order, res.Hits[n-1]), Seen: seen}.encode()
	}
	return out
}

// newHit reads a hit's stored fields; its title is escaped, unmarked.
func newHit(h *search.DocumentMatch) Hit {
	hit := Hit{
		Slug:    h.ID,
		Title:   str(h.Fields[schema.FieldTitle]),
		Summary: str(h.Fields[schema.FieldSummary]),
		Tags:    strs(h.Fields[schema.FieldTags]),
		Authors: strs(h.Fields[schema.FieldAuthors]),
		Score:   h.Score,
	}
	if w, ok := h.Fields[schema.FieldWords].(float64); ok {
		hit.Words = int(w)
	}
	hit.Date, _ = time.Parse(time.RFC3339, str(h.Fields[schema.FieldDate]))
	hit.TitleHTML = html.EscapeString(hit.Title)
	return hit
}

// highlighter marks the words a search found in its hits: in the title,
// and in snippets of the body when r asks for them.
type highlighter struct {
	ctx    context.Context
	log    *slog.Logger
	mark   func(ctx context.Context, h *search.DocumentMatch, r Request, hit *Hit)
	logged bool // a failure has been logged for this page
}

// hit is h with its words marked. Should marking panic, the hit is
// shown as it is without marks, and the failure logged once a page: a
// snippet is not worth a reader's whole results page.
func (hl *highlighter) hit(h *search.DocumentMatch, r Request) (hit Hit) {
	plain := newHit(h)
	defer func() {
		if v := recover(); v != nil {
			if !hl.logged {
				hl.log.Error("marking a hit's words failed; it is shown without them",
					"slug", h.ID, "query", r.Query, "panic", v, "stack", string(debug.Stack()))
				hl.logged = true
			}
			hit = plain
		}
	}()
	hit = plain
	hl.mark(hl.ctx, h, r, &hit)
	return hit
}

// markHit marks the title, and makes the snippets r asks for.
func markHit(ctx context.Context, h *search.DocumentMatch, r Request, hit *Hit) {
	hit.TitleHTML = snippet.Mark(hit.Title, h.Locations[schema.FieldTitle])
	if r.Fragments > 0 {
		size := r.FragmentSize
		if size <= 0 {
			size = DefaultFragSize
		}
		body := str(h.Fields[schema.FieldBody])
		secs, _ := schema.DecodeSections(str(h.Fields[schema.FieldSections])) // without them, snippets just name no heading
		hit.Fragments = snippet.Fragments(ctx, body, h.Locations[schema.FieldBody], secs, r.Fragments, size)
	}
}

// str and strs read stored fields, which bleve returns as a string for
// one value and as a slice for several.
func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Limits on what one query may cost. Each is refused with a *LimitError
// naming it, so a client learns which one it hit; the web layer adds the
// length limit, checked before any parsing.
const (
	// MaxQueryTerms caps the words (and quoted phrases' words) a query
	// may hold: each becomes a term searcher on every searched field.
	MaxQueryTerms = 64
	// MaxExpansion caps the terms one prefix, fuzzy or wildcard word may
	// expand to in one field. bleve's own default is unlimited, and "*a*"
	// over a big dictionary takes seconds.
	MaxExpansion = 1024
	// MaxTermSearchers caps all term searchers of one search together,
	// expansions included (bleve's MaxTermSearchersKey, per request).
	MaxTermSearchers = 4096
)

// The limits a LimitError can name.
const (
	LimitLength     = "length"
	LimitTerms      = "terms"
	LimitExpansion  = "expansion"
	LimitDeepPaging = "deep_paging"
	LimitPerPage    = "per_page"
)

// LimitError is a request refused because it exceeds one of the documented
// limits. Param names the parameter, Limit which limit.
type LimitError struct {
	Limit string
	Param string
	Msg   string
}

func (e *LimitError) Error() string { return e.Param + ": " + e.Msg }

// Unwrap makes every LimitError a RequestError too, so callers that only
// tell bad requests from failures need not know about limits.
func (e *LimitError) Unwrap() error { return &RequestError{Param: e.Param, Msg: e.Msg} }

// bleve reads the clause cap from a package variable, so it is set once,
// before any index is opened.
func init() {
	searcher.DisjunctionMaxClauseCount = MaxExpansion
}

// withTermLimit bounds the term searchers this search may create,
// keeping a lower bound the caller set.
func withTermLimit(ctx context.Context) context.Context {
	if n, ok := ctx.Value(search.MaxTermSearchersKey).(int); ok && n > 0 && n <= MaxTermSearchers {
		return ctx
	}
	return context.WithValue(ctx, search.MaxTermSearchersKey, MaxTermSearchers)
}

// expansionError recognises bleve's refusals of an over-expanded query,
// which arrive as plain strings, and turns them into a LimitError; other
// errors pass through.
func expansionError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "TooManyClauses") || strings.Contains(msg, "TooManyTermSearchers") {
		return &LimitError{Limit: LimitExpansion, Param: "q",
			Msg: fmt.Sprintf("a prefix, fuzzy or wildcard word matches too many terms (at most %d per word, %d per search); make it longer or more specific",
				MaxExpansion, MaxTermSearchers)}
	}
	return err
}

// checkTerms refuses queries with more words than MaxQueryTerms.
func checkTerms(q string) error {
	if n := len(strings.Fields(strings.ReplaceAll(q, `"`, " "))); n > MaxQueryTerms {
		return &LimitError{Limit: LimitTerms, Param: "q",
			Msg: fmt.Sprintf("the query has %d words; at most %d are allowed", n, MaxQueryTerms)}
	}
	return nil
}

// statusError joins the per-index errors an alias reports instead of
// returning them, keeping each one for errors.Is (a deadline stays a
// deadline).
func statusError(errs map[string]error) error {
	var all []error
	for name, err := range errs {
		all = append(all, fmt.Errorf("%s: %w", name, err))
	}
	return errors.Join(all...)
}
