package index

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snapshot"
	"github.com/blust/archive/internal/qlang"
)

// Pages past the first: the cursor that resumes after a page's last hit
// in the order of its Sort, and the walks through a whole result set,
// Scan (search after search, resumed with cursors) and Export (one
// search, its rows read in steps).

// cursorVersion changes whenever the cursor's contents change meaning;
// cursors of another version are refused rather than misread.
const cursorVersion = 1

// maxCursorSeen bounds a cursor's hit count, far above any archive's
// posts: a forged count near the largest int overflowed export ranks.
const maxCursorSeen = 1 << 31

// cursor is the position after the last hit of a page. It travels as
// base64url JSON, opaque to clients, and is only valid for the build and
// the query and order it was made for: sort values from another build or
// another query would silently skip or repeat hits.
type cursor struct {
	V     int      `json:"v"`
	Build string   `json:"b"`
	Sig   string   `json:"s"` // querySignature of the query and order
	After []string `json:"a"` // search_after values of the last hit returned
	Seen  int      `json:"n"` // hits returned before the next page
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // strings and ints only: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor and checks that it belongs to this build,
// query and order; every failure is a RequestError naming "cursor".
func decodeCursor(s, build, sig string, order search.SortOrder) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return c, &RequestError{"cursor", "is not a cursor from this API; pass next_cursor from a previous response unchanged"}
	}
	switch {
	case c.V != cursorVersion:
		return c, &RequestError{"cursor", fmt.Sprintf("was made by another version of the API (v%d); start again without a cursor", c.V)}
	case c.Build != build:
		return c, &RequestError{"cursor", fmt.Sprintf("belongs to index build %s, but the archive now serves build %s; start again without a cursor", c.Build, build)}
	case c.Sig != sig:
		return c, &RequestError{"cursor", "belongs to another query, filter or sort; send the same parameters as the request that returned it"}
	case len(c.After) != len(order) || c.Seen < 0 || c.Seen > maxCursorSeen || !afterValuesParse(order, c.After):
		return c, &RequestError{"cursor", "is damaged; pass next_cursor from a previous response unchanged"}
	}
	return c, nil
}

// afterValuesParse checks the values bleve would otherwise reject with an
// error of its own, which would look like a fault of ours.
func afterValuesParse(order search.SortOrder, after []string) bool {
	for i, so := range order {
		var err error
		switch so := so.(type) {
		case *search.SortScore:
			_, err = strconv.ParseFloat(after[i], 64)
		case *search.SortField:
			if so.Type == search.SortFieldAsDate {
				_, err = time.Parse(time.RFC3339Nano, after[i])
			}
		}
		if err != nil {
			return false
		}
	}
	return true
}

// querySignature identifies which hits a request selects and in what
// order. It hashes the bleve query itself, so anything that changes the
// query (text, filters, modes added later) changes the signature.
func querySignature(q bq.Query, s Sort) (string, error) {
	b, err := json.Marshal(q)
	if err != nil {
		return "", fmt.Errorf("query signature: %w", err)
	}
	h := sha256.New()
	h.Write(b)
	h.Write([]byte{0})
	h.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12]), nil
}

// sortOrder is the order of each Sort, always ending in the post's slug
// (its document id) so that ties are broken the same way on every page.
// The slug is read from its doc values, not as bleve's _id: that one is
// kept with the stored document, so a date order over thousands of
// matches read a page of the stored documents per match. The date is
// typed, so search_after takes RFC 3339 values (see afterValues).
func sortOrder(s Sort) search.SortOrder {
	date := func(desc bool) search.SearchSort {
		return &search.SortField{Field: schema.FieldDate, Type: search.SortFieldAsDate, Desc: desc}
	}
	switch s {
	case SortNewest:
		return search.SortOrder{date(true), bySlug()}
	case SortOldest:
		return search.SortOrder{date(false), bySlug()}
	default:
		return search.SortOrder{&search.SortScore{Desc: true}, date(true), bySlug()}
	}
}

// bySlug orders posts by slug, ascending, as bleve's _id sort does.
func bySlug() *search.SortField {
	return &search.SortField{Field: schema.FieldSlug, Type: search.SortFieldAsString}
}

// afterValues are the search_after values that resume after hit. bleve's
// raw Sort values do not round-trip: a typed date sort holds prefix-coded
// bytes (its decoded form is what search_after parses) and a score sort
// holds the literal "_score".
func afterValues(order search.SortOrder, hit *search.DocumentMatch) []string {
	out := make([]string, len(order))
	for i, so := range order {
		switch so.(type) {
		case *search.SortScore:
			out[i] = strconv.FormatFloat(hit.Score, 'g', -1, 64)
		case *search.SortDocID:
			out[i] = hit.ID
		default:
			if i < len(hit.DecodedSort) {
				out[i] = hit.DecodedSort[i]
			}
		}
	}
	return out
}

// ScanBatch is how many hits one batch of a walk holds: large enough that
// a full export is a handful of searches, small enough that memory stays
// flat however many posts match.
const ScanBatch = 500

// ScanStep is one step of a walk (Scan) through a whole result set: like Search,
// but with ScanBatch hits whatever r.Size says, no page window and no
// Offset; the next step passes the result's NextCursor as r.Cursor.
// Paging with search_after keeps each step as cheap as the first, however
// deep the walk, but every step visits the whole result set, so the
// batch must be large: a walk in pages of 10 took 25 times as long.
// Bad requests fail with a *RequestError.
func (ix *Index) ScanStep(ctx context.Context, r Request) (*Result, error) {
	r.Size = ScanBatch
	return ix.scanStep(ctx, r)
}

// scanStep is ScanStep with r.Size hits, for tests that walk in small steps.
func (ix *Index) scanStep(ctx context.Context, r Request) (*Result, error) {
	r.Offset = 0
	if err := r.validateQuery(); err != nil {
		return nil, err
	}
	return ix.run(ctx, r)
}

// Scan walks the whole result set of r in order with ScanStep, passing each
// batch to fn; a Cursor in r starts the walk after that position. The
// first batch is passed even when it has no hits, so the caller learns
// the total and the build. Facets are counted with the first batch only.
// Scan stops at fn's first error and returns it. If the serving build
// changes between batches, the walk fails with a *RequestError on
// "cursor" rather than mix two builds.
func (ix *Index) Scan(ctx context.Context, r Request, fn func(*Result) error) error {
	r.Size = ScanBatch
	return ix.scan(ctx, r, fn)
}

func (ix *Index) scan(ctx context.Context, r Request, fn func(*Result) error) error {
	for {
		res, err := ix.scanStep(ctx, r)
		if err != nil {
			return err
		}
		if err := fn(res); err != nil {
			return err
		}
		if res.NextCursor == "" {
			return nil
		}
		r.Cursor = res.NextCursor
		r.Facets = nil
	}
}

// Exports at the speed of the index. Paging a whole result set through
// the ranked search (Scan) visits every match once per batch of 500: at
// 100,000 posts a 67,649-hit export was 136 searches and ran at about
// 2,100 rows/s. An Export instead runs the search once, keeping only each
// match's document number and score, reads the matches' dates from the
// facet table, sorts them in the request's order, and then reads the
// stored fields of ExportRows rows at a time from the snapshot the search
// ran on. Memory is one small entry per match (bounded by the archive's
// size) plus one step's rows, however long the stream runs. The rows and
// their order are exactly Scan's: the same query, scores, and
// tie-breakers (score, then date, then slug), with posts sharing a score
// and date put in slug order once their slugs are read.

// ExportRows is how many rows one Export step reads.
const ExportRows = 500

// Export is one walk through a whole result set; Close it when done.
type Export struct {
	Total   uint64
	BuildID string // the index state walked: Manifest.Label

	ix     *Index
	r      Request
	build  string
	name   string // the build's bleve index, which loadBodies checks hits against
	snap   snapshot.Held
	groups []*bm25f.Group // the rank query's, for snippets' locations; nil for other queries
	rows   []exportRow
	next   int
	hl     highlighter
}

// exportRow is one match: where it is in the snapshot and how it sorts.
type exportRow struct {
	doc   uint64
	score float64
	date  int64
	dated bool
}

// CanExport says whether OpenExport can walk r: the whole result set
// from its start (a walk resumed from a cursor is Scan's).
func CanExport(r Request) bool {
	return r.Cursor == ""
}

// OpenExport runs r's search once and prepares to stream every hit in
// r's order. Bad requests fail with a *RequestError; r must satisfy
// CanExport.
func (ix *Index) OpenExport(ctx context.Context, r Request) (*Export, error) {
	if !CanExport(r) {
		return nil, &RequestError{"cursor", "an export resumed from a cursor is walked with Scan"}
	}
	r.Offset, r.Size = 0, 0
	if err := r.validateQuery(); err != nil {
		return nil, err
	}
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		return nil, fmt.Errorf("q: %w", err)
	}
	ctx = withTermLimit(ctx)
	for range 5 { // as run: a build switch during the search repeats it
		ix.mu.RLock()
		build, label, name := ix.cur.manifest.ID, ix.cur.manifest.Label(), ix.cur.idx.Name()
		ix.mu.RUnlock()
		e, err := ix.openExport(ctx, r, parsed)
		if errors.Is(err, errSwitched) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if ix.buildID() != build {
			e.Close()
			continue
		}
		e.build, e.BuildID, e.name = build, label, name
		return e, nil
	}
	return nil, fmt.Errorf("export %q: %w", r.Query, ErrBusy)
}

// openExport collects the matches of the query run would pick for r,
// including its retry with rare words taken for typos.
func (ix *Index) openExport(ctx context.Context, r Request, parsed *qlang.Query) (*Export, error) {
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		return nil, err
	}
	e, err := ix.collect(ctx, r, pl.Query)
	if err != nil {
		return nil, err
	}
	if !pl.Retry(parsed, r.Literal, e.Total) {
		return e, nil
	}
	pl2, err := ix.planText(ctx, parsed, r, true)
	if err != nil || pl2.Suggestion == "" {
		return e, err
	}
	e2, err := ix.collect(ctx, r, pl2.Query)
	if err != nil {
		e.Close()
		return nil, err
	}
	if e2.Total > e.Total {
		e.Close()
		return e2, nil
	}
	e2.Close()
	return e, nil
}

// collect runs q once, keeping each match's number and score and the
// snapshot they belong to, then sorts the matches in r's order.
func (ix *Index) collect(ctx context.Context, r Request, q bq.Query) (*Export, error) {
	e := &Export{ix: ix, r: r, hl: highlighter{log: ix.log, mark: markHit}}
	if rq, ok := q.(*bm25f.Query); ok && r.Fragments > 0 {
		e.groups = rq.Groups // scored without locations: the rows' own are read as they go (bm25f.Page)
	}
	eq := &exportQuery{Query: q, e: e}
	req := bleve.NewSearchRequestOptions(eq, 0, 0, false)
	req.SortByCustom(bm25f.ScoreOrder) // no doc values read per match: the order is made below
	res, err := ix.alias.SearchInContext(ctx, req)
	if err == nil && res.Status != nil && res.Status.Failed > 0 {
		err = statusError(res.Status.Errors)
	}
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("export %q: %w", r.Query, expansionError(err))
	}
	e.Total = uint64(len(e.rows))
	if err := e.order(ctx); err != nil {
		e.Close()
		return nil, fmt.Errorf("export %q: %w", r.Query, err)
	}
	return e, nil
}

// order reads the matches' dates from the facet table and sorts them.
func (e *Export) order(ctx context.Context) error {
	if e.snap == nil || len(e.rows) == 0 {
		return nil
	}
	docs := make([]uint64, len(e.rows))
	for i, row := range e.rows {
		docs[i] = row.doc // ascending: a searcher walks in document order
	}
	err := e.ix.caches.facets.EachDate(ctx, e.snap, docs, func(i int, date int64, ok bool) {
		e.rows[i].date, e.rows[i].dated = date, ok
	})
	if err != nil {
		return err
	}
	slices.SortFunc(e.rows, func(a, b exportRow) int {
		if c := e.compare(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc) // ties are put in slug order as they are read
	})
	return nil
}

// compare orders rows as sortOrder(e.r.Sort) does, short of the slug:
// score (for relevance), then date, a post without one last.
func (e *Export) compare(a, b exportRow) int {
	desc := true
	switch e.r.Sort {
	case SortOldest:
		desc = false
	case SortNewest:
	default:
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
	}
	switch {
	case a.dated != b.dated:
		if a.dated {
			return -1
		}
		return 1
	case desc:
		return cmp.Compare(b.date, a.date)
	}
	return cmp.Compare(a.date, b.date)
}

// Next returns the next rows of the export, none at its end. A build
// switch since OpenExport fails the walk with a *RequestError on
// "cursor", as a Scan does, rather than mix two builds.
func (e *Export) Next(ctx context.Context) ([]Hit, error) {
	if e.next >= len(e.rows) {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e.ix.buildID() != e.build {
		return nil, &RequestError{"cursor", "the index was rebuilt during the export; start it again"}
	}
	end := min(e.next+ExportRows, len(e.rows))
	for end < len(e.rows) && e.compare(e.rows[end-1], e.rows[end]) == 0 {
		end++ // a tie is read whole, so its slug order is complete
	}
	rows := e.rows[e.next:end]
	hits := make([]*search.DocumentMatch, len(rows))
	for i, row := range rows {
		id := make(bleveidx.IndexInternalID, 8)
		binary.BigEndian.PutUint64(id, row.doc)
		hits[i] = &search.DocumentMatch{IndexInternalID: id, Score: row.score, HitNumber: uint64(i)}
	}
	fields := []string{"_id", schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	if e.r.Fragments > 0 {
		fields = append(fields, schema.FieldBodyRef)
	}
	if err := snapshot.LoadFields(e.snap, hits, fields); err != nil {
		return nil, fmt.Errorf("export %q: %w", e.r.Query, err)
	}
	for _, h := range hits {
		h.ID, h.Index = str(h.Fields["_id"]), e.name
		delete(h.Fields, "_id")
	}
	if err := e.snippetSources(ctx, hits); err != nil {
		return nil, err
	}
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
		if c := e.compare(rows[a.HitNumber], rows[b.HitNumber]); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	e.hl.ctx = ctx // marking is bounded by this step's deadline
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = e.hl.hit(h, e.r)
	}
	e.next = end
	return out, nil
}

// snippetSources reads what the rows' snippets are made from, when the
// request asks for snippets: their bodies and their words' locations.
func (e *Export) snippetSources(ctx context.Context, hits []*search.DocumentMatch) error {
	if e.r.Fragments == 0 {
		return nil
	}
	err := e.ix.loadBodies(hits)
	if errors.Is(err, errSwitched) {
		return &RequestError{"cursor", "the index was rebuilt during the export; start it again"}
	}
	if err == nil && e.groups != nil {
		err = (&bm25f.Page{Groups: e.groups, Snap: e.snap}).Fill(ctx, hits)
	}
	if err != nil {
		return fmt.Errorf("export %q: %w", e.r.Query, err)
	}
	return nil
}

// Close lets the snapshot go; safe to call more than once.
func (e *Export) Close() {
	if e == nil || e.snap == nil {
		return
	}
	_ = e.snap.DecRef() // only fails as the snapshot's segments close, which no longer concerns us
	e.snap = nil
}

// exportQuery is a query whose matches are kept in an Export, with the
// snapshot they were found in.
type exportQuery struct {
	bq.Query
	e *Export
}

// Searcher implements bleve's query.Query.
func (q *exportQuery) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	rr, ok := r.(snapshot.Held)
	if !ok {
		return nil, fmt.Errorf("export: cannot hold a %T", r)
	}
	s, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	q.e.Close()
	rr.AddRef()
	q.e.snap, q.e.rows = rr, q.e.rows[:0]
	return &exportSearcher{Searcher: s, e: q.e}, nil
}

// exportSearcher passes on its searcher's matches, keeping each.
type exportSearcher struct {
	search.Searcher
	e *Export
}

func (s *exportSearcher) keep(dm *search.DocumentMatch) {
	if dm != nil {
		s.e.rows = append(s.e.rows, exportRow{doc: snapshot.Number(dm.IndexInternalID), score: dm.Score})
	}
}

func (s *exportSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	s.keep(dm)
	return dm, err
}

func (s *exportSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	s.keep(dm)
	return dm, err
}
