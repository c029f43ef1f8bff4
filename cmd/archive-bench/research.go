package main

import (
	"context"
	"fmt"
	"time"

	"github.com/blust/archive/cmd/archive-bench/internal/fts5"
	"github.com/blust/archive/index"
)

// A researcher's work on the archive, beside FTS5 doing the same: the
// whole result set of a common word exported by relevance and by date
// (the archive as its web API does it, with index.Export; FTS5 fetching
// slug, date and title of every match), and the monthly trends of eight
// topics (the archive's Trends; FTS5 counting each topic's matches, and
// all posts, grouped by month). Xapian's reference script does neither,
// so its column stays empty.

// exportQuery is the export's query, a word most posts have.
const exportQuery = "p2p"

// trendTopics are the topics of the trends request.
var trendTopics = []string{"p2p", "filecoin", "blockchain", "ipfs", "libp2p", "streaming", "storage", "consensus"}

// The kinds of researcher's work, as runEngines' sample kinds.
const (
	workExportRelevance = "export by relevance"
	workExportDate      = "export by date"
	workTrends          = "trends"
)

// Research is the researcher's work measured on both engines.
type Research struct {
	ExportRelevance Pair[Work] `json:"export_relevance"`
	ExportDate      Pair[Work] `json:"export_date"`
	Trends          Pair[Work] `json:"trends_8_topics_monthly"`
}

// Work is one task's median time over the timed passes and the rows it
// hands back (an export's rows; a trends request's periods with posts).
type Work struct {
	MS   float64 `json:"median_ms"`
	Rows int     `json:"rows"`
}

// RowsPerSec is the task's rate at its median time.
func (w Work) RowsPerSec() float64 { return ratio(float64(w.Rows), w.MS/1000) }

// task is one piece of work that reports the rows it produced.
type task struct {
	kind string
	do   func(ctx context.Context) (int, error)
}

// taskEngine is one engine's researcher's work for runEngines: the
// warm-up runs each task once and keeps its rows, a pass times each.
type taskEngine struct {
	tasks []task
	rows  map[string]int
}

func (e *taskEngine) warmUp(*MixResult) error {
	e.rows = map[string]int{}
	for _, t := range e.tasks {
		n, err := t.do(context.Background())
		if err != nil {
			return fmt.Errorf("%s: %w", t.kind, err)
		}
		e.rows[t.kind] = n
	}
	return nil
}

func (e *taskEngine) pass(ctx context.Context) ([]sample, error) {
	out := make([]sample, 0, len(e.tasks))
	for _, t := range e.tasks {
		start := time.Now()
		if _, err := t.do(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", t.kind, err)
		}
		out = append(out, sample{kind: t.kind, d: time.Since(start)})
	}
	return out, nil
}

// work is the engine's figure for one kind of task.
func (e *taskEngine) work(r MixResult, kind string) Work {
	return Work{MS: r.ByKind[kind], Rows: e.rows[kind]}
}

// runResearch times both engines' work in turns, passes times each.
func runResearch(ctx context.Context, passes int, ix *index.Index, s *fts5.Searcher) (*Research, error) {
	blust := &taskEngine{tasks: []task{
		{workExportRelevance, func(ctx context.Context) (int, error) { return blustExport(ctx, ix, index.SortRelevance) }},
		{workExportDate, func(ctx context.Context) (int, error) { return blustExport(ctx, ix, index.SortNewest) }},
		{workTrends, func(ctx context.Context) (int, error) { return blustTrends(ctx, ix) }},
	}}
	match := fts5.Term(exportQuery)
	base := &taskEngine{tasks: []task{
		{workExportRelevance, func(ctx context.Context) (int, error) { return s.Export(ctx, match, false) }},
		{workExportDate, func(ctx context.Context) (int, error) { return s.Export(ctx, match, true) }},
		{workTrends, func(ctx context.Context) (int, error) { return fts5Trends(ctx, s) }},
	}}
	res, err := runEngines(ctx, passes, blust, base)
	if err != nil {
		return nil, err
	}
	pair := func(kind string) Pair[Work] {
		return Pair[Work]{Blust: blust.work(res[0], kind), FTS5: base.work(res[1], kind)}
	}
	return &Research{ExportRelevance: pair(workExportRelevance), ExportDate: pair(workExportDate), Trends: pair(workTrends)}, nil
}

// blustExport streams the whole result set of exportQuery as the web
// API's CSV and JSONL exports do, without writing it anywhere.
func blustExport(ctx context.Context, ix *index.Index, sort index.Sort) (int, error) {
	ex, err := ix.OpenExport(ctx, index.Request{Query: exportQuery, Sort: sort})
	if err != nil {
		return 0, err
	}
	defer ex.Close()
	n := 0
	for {
		hits, err := ex.Next(ctx)
		if err != nil || len(hits) == 0 {
			return n, err
		}
		n += len(hits)
	}
}

// blustTrends asks the trends of trendTopics by month and counts the
// periods with posts.
func blustTrends(ctx context.Context, ix *index.Index) (int, error) {
	tr, err := ix.Trends(ctx, index.TrendRequest{Queries: trendTopics, Interval: index.IntervalMonth})
	if err != nil {
		return 0, err
	}
	n := 0
	if len(tr.Series) > 0 {
		for _, p := range tr.Series[0].Points {
			if p.Total > 0 {
				n++
			}
		}
	}
	return n, nil
}

// fts5Trends counts all posts and each topic's per month, the same
// figures a trends answer holds, and returns the months with posts.
func fts5Trends(ctx context.Context, s *fts5.Searcher) (int, error) {
	all, err := s.MonthCounts(ctx, "")
	if err != nil {
		return 0, err
	}
	for _, t := range trendTopics {
		if _, err := s.MonthCounts(ctx, fts5.Term(t)); err != nil {
			return 0, err
		}
	}
	return len(all), nil
}
