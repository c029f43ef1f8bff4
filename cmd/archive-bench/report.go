package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/blust/archive/cmd/archive-bench/internal/fts5"
	"github.com/blust/archive/internal/gen"
)

// Pair is one figure for the engines: the archive, FTS5, and Xapian when
// it could be measured here.
type Pair[T any] struct {
	Blust  T  `json:"blust"`
	FTS5   T  `json:"fts5"`
	Xapian *T `json:"xapian,omitempty"`
}

// Report is everything one run measured.
type Report struct {
	Date         time.Time             `json:"date"`
	Machine      string                `json:"machine"`
	SQLite       string                `json:"sqlite"`
	XapianVer    string                `json:"xapian_version,omitempty"`
	XapianNote   string                `json:"xapian_missing,omitempty"`
	Posts        int                   `json:"posts"`
	Seed         int64                 `json:"seed"`
	MDBytes      int64                 `json:"markdown_bytes"`
	TextBytes    int64                 `json:"text_bytes"`
	Passes       int                   `json:"passes"`
	Build        Pair[BuildResult]     `json:"build"`
	FTS5Phases   fts5BuildOutput       `json:"fts5_build_phases"`
	Query        Pair[MixResult]       `json:"query_rank_only"`
	QueryHL      Pair[MixResult]       `json:"query_highlight"`
	Research     *Research             `json:"research,omitempty"`
	ResearchNote string                `json:"research_failed,omitempty"`
	FacetsHL     *MixResult            `json:"blust_query_facets_highlight,omitempty"`
	InProcess    *Throughput           `json:"blust_in_process,omitempty"`
	APIRatio     *PairedRatio          `json:"api_in_process_turns,omitempty"`
	Load         []LoadResult          `json:"load,omitempty"`
	Server       *Memory               `json:"server_memory,omitempty"`
	StartupMS    float64               `json:"startup_to_first_answer_ms"`
	LoadAvgEnd   float64               `json:"loadavg_end"`
	LoadAvgBase  float64               `json:"loadavg_start"`
	Targets      map[string]TargetMark `json:"targets,omitempty"`
}

// TargetMark is one target of issue 7 with the figure measured for it.
type TargetMark struct {
	Figure float64 `json:"figure"`
	Target string  `json:"target"`
	Met    bool    `json:"met"`
}

func newReport(cfg *config, c *gen.Corpus) *Report {
	return &Report{Date: time.Now().UTC(), Machine: machine(), SQLite: fts5.Version(), Posts: c.Posts,
		Seed: cfg.seed, MDBytes: c.Bytes, Passes: cfg.passes, LoadAvgBase: loadAvg()}
}

// api32 is the JSON API's throughput at 32 connections, if measured.
func (r *Report) api32() (LoadResult, bool) {
	for _, l := range r.Load {
		if l.Endpoint == "/api/v1/search" && l.Conns == 32 {
			return l, true
		}
	}
	return LoadResult{}, false
}

// marks checks the figures against the targets of issue 7.
func (r *Report) marks() []struct {
	name string
	TargetMark
} {
	type m = struct {
		name string
		TargetMark
	}
	facetLimit := 2.0
	if r.Posts > 10000 {
		facetLimit = 10
	}
	out := []m{
		{"build docs/s, Blust/FTS5", TargetMark{ratio(r.Build.Blust.DocsPerSec, r.Build.FTS5.DocsPerSec), "≥ 1", r.Build.Blust.DocsPerSec >= r.Build.FTS5.DocsPerSec}},
		{"search+highlight median, Blust/FTS5", TargetMark{ratio(r.QueryHL.Blust.Median, r.QueryHL.FTS5.Median), "≤ 0.5", r.QueryHL.Blust.Median <= r.QueryHL.FTS5.Median/2}},
		{"search+highlight p99, Blust/FTS5", TargetMark{ratio(r.QueryHL.Blust.P99, r.QueryHL.FTS5.P99), "≤ 0.5", r.QueryHL.Blust.P99 <= r.QueryHL.FTS5.P99/2}},
		{"index size / raw text", TargetMark{r.Build.Blust.SizeRatio, "≤ 2", r.Build.Blust.SizeRatio <= 2}},
	}
	if x := r.QueryHL.Xapian; x != nil {
		out = append(out, m{"search+highlight p99, Blust/Xapian", TargetMark{ratio(r.QueryHL.Blust.P99, x.P99), "≤ 1", r.QueryHL.Blust.P99 <= x.P99}})
	}
	above := r.kindsAboveFTS5()
	out = append(out, m{"kinds with a median above FTS5's (typo, zero-hit aside)", TargetMark{float64(len(above)), "0", len(above) == 0}})
	if rs := r.Research; rs != nil {
		rel, date := rs.ExportRelevance, rs.ExportDate
		out = append(out,
			m{"export by relevance, rows/s", TargetMark{rel.Blust.RowsPerSec(), "≥ 15000 and ≥ FTS5", rel.Blust.RowsPerSec() >= 15000 && rel.Blust.RowsPerSec() >= rel.FTS5.RowsPerSec()}},
			m{"export by date, rows/s", TargetMark{date.Blust.RowsPerSec(), "≥ 50000 and ≥ FTS5", date.Blust.RowsPerSec() >= 50000 && date.Blust.RowsPerSec() >= date.FTS5.RowsPerSec()}},
			m{"trends, 8 topics by month, ms", TargetMark{rs.Trends.Blust.MS, "≤ 2000 (the search budget)", rs.Trends.Blust.MS <= 2000}})
	}
	if r.FacetsHL != nil {
		out = append(out, m{"facets+highlight median, ms", TargetMark{r.FacetsHL.Median, fmt.Sprintf("≤ %g ms", facetLimit), r.FacetsHL.Median <= facetLimit}})
	}
	if p := r.APIRatio; p != nil {
		out = append(out, m{"API at 32 conns / in-process", TargetMark{p.Median, "≥ 0.7, 0 errors", p.Median >= 0.7 && p.APIErrors() == 0}})
	} else if a, ok := r.api32(); ok && r.InProcess != nil { // a report saved before the turns
		q := ratio(a.RPS, r.InProcess.RPS)
		out = append(out, m{"API at 32 conns / in-process", TargetMark{q, "≥ 0.7, 0 errors", q >= 0.7 && a.Errors == 0}})
	}
	if r.Server != nil {
		out = append(out, m{"server peak RSS, MB", TargetMark{r.Server.PeakMB, "≤ 500", r.Server.PeakMB <= 500}})
		out = append(out, m{"start-up to first answer, ms", TargetMark{r.StartupMS, "≤ 1000", r.StartupMS <= 1000}})
	}
	return out
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func (r *Report) writeTable(w io.Writer) {
	engines := "SQLite FTS5 " + r.SQLite
	if r.Build.Xapian != nil {
		engines += " and Xapian " + r.XapianVer
	}
	fmt.Fprintf(w, "Blust Archive vs %s: %d generated posts (%.0f MB Markdown, %.0f MB text), %s, load %.1f→%.1f\n",
		engines, r.Posts, float64(r.MDBytes)/1e6, float64(r.TextBytes)/1e6, r.Machine, r.LoadAvgBase, r.LoadAvgEnd)
	if r.XapianNote != "" {
		fmt.Fprintf(w, "Xapian left out: %s\n", r.XapianNote)
	}
	fmt.Fprintln(w)
	x := r.Build.Xapian != nil
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	row := func(name string, a, b float64, c *float64) {
		if !x {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, num(a), num(b), num(ratio(a, b)))
			return
		}
		xv := math.NaN()
		if c != nil {
			xv = *c
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", name, num(a), num(b), num(xv), num(ratio(a, b)), num(ratio(a, xv)))
	}
	if x {
		fmt.Fprintf(tw, "figure\tBlust\tFTS5\tXapian\tBlust/FTS5\tBlust/Xapian\t\n")
	} else {
		fmt.Fprintf(tw, "figure\tBlust\tFTS5\tBlust/FTS5\t\n")
	}
	bb, fb, xb := r.Build.Blust, r.Build.FTS5, r.Build.Xapian
	build := func(f func(BuildResult) float64) *float64 {
		if xb == nil {
			return nil
		}
		v := f(*xb)
		return &v
	}
	row("build, docs/s", bb.DocsPerSec, fb.DocsPerSec, build(func(b BuildResult) float64 { return b.DocsPerSec }))
	row("build, Markdown MB/s", bb.MBPerSec, fb.MBPerSec, build(func(b BuildResult) float64 { return b.MBPerSec }))
	row("build, wall s", bb.Seconds, fb.Seconds, build(func(b BuildResult) float64 { return b.Seconds }))
	row("build, CPU s", bb.CPUSeconds, fb.CPUSeconds, build(func(b BuildResult) float64 { return b.CPUSeconds }))
	row("build, peak RSS MB", bb.PeakRSSMB, fb.PeakRSSMB, build(func(b BuildResult) float64 { return b.PeakRSSMB }))
	row("index size, MB", float64(bb.SizeBytes)/1e6, float64(fb.SizeBytes)/1e6, build(func(b BuildResult) float64 { return float64(b.SizeBytes) / 1e6 }))
	row("index size / raw text", bb.SizeRatio, fb.SizeRatio, build(func(b BuildResult) float64 { return b.SizeRatio }))
	q, h := r.Query, r.QueryHL
	mixRow := func(name string, p Pair[MixResult], f func(MixResult) float64) {
		var xv *float64
		if p.Xapian != nil {
			v := f(*p.Xapian)
			xv = &v
		}
		row(name, f(p.Blust), f(p.FTS5), xv)
	}
	mixRow("search, median ms", q, func(m MixResult) float64 { return m.Median })
	mixRow("search, p99 ms", q, func(m MixResult) float64 { return m.P99 })
	mixRow("search+highlight, median ms", h, func(m MixResult) float64 { return m.Median })
	mixRow("search+highlight, p90 ms", h, func(m MixResult) float64 { return m.P90 })
	mixRow("search+highlight, p99 ms", h, func(m MixResult) float64 { return m.P99 })
	mixRow("search+highlight, q/s 1 thread", h, func(m MixResult) float64 { return m.QPS })
	mixRow("queries with 0 hits", h, func(m MixResult) float64 { return float64(m.ZeroHits) })
	mixRow("median hits", h, func(m MixResult) float64 { return float64(m.MedianHits) })
	if rs := r.Research; rs != nil {
		workRow := func(name string, p Pair[Work], f func(Work) float64) { row(name, f(p.Blust), f(p.FTS5), nil) }
		rows := func(w Work) float64 { return float64(w.Rows) }
		perSec := func(w Work) float64 { return w.RowsPerSec() }
		workRow(fmt.Sprintf("export q=%s, rows", exportQuery), rs.ExportRelevance, rows)
		workRow("export by relevance, rows/s", rs.ExportRelevance, perSec)
		workRow("export by date, rows/s", rs.ExportDate, perSec)
		workRow(fmt.Sprintf("trends, %d topics by month, ms", len(trendTopics)), rs.Trends, func(w Work) float64 { return w.MS })
	}
	tw.Flush()
	if r.ResearchNote != "" {
		fmt.Fprintf(w, "exports and trends failed: %s\n", r.ResearchNote)
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintf(tw, "Blust only\tmedian ms\tp90 ms\tp99 ms\treq/s\terrors\t\n")
	if f := r.FacetsHL; f != nil {
		fmt.Fprintf(tw, "search+facets+highlight\t%s\t%s\t%s\t%s\t%d\t\n", num(f.Median), num(f.P90), num(f.P99), num(f.QPS), f.Errors)
	}
	if t := r.InProcess; t != nil {
		fmt.Fprintf(tw, "in-process, %d goroutines\t%s\t%s\t%s\t%s\t%d\t\n", t.Conns, num(t.Latency.Median), num(t.Latency.P90), num(t.Latency.P99), num(t.RPS), t.Errors)
	}
	for _, l := range r.Load {
		fmt.Fprintf(tw, "GET %s, %d conns\t%s\t%s\t%s\t%s\t%d\t\n", l.Endpoint, l.Conns, num(l.Latency.Median), num(l.Latency.P90), num(l.Latency.P99), num(l.RPS), l.Errors)
	}
	if p := r.APIRatio; p != nil {
		p.writeRows(tw)
	}
	tw.Flush()
	if p := r.APIRatio; p != nil {
		fmt.Fprintln(w, p.summary())
		if t := typical(p.API); len(t.FirstErrors) > 0 {
			fmt.Fprintf(w, "errors, API turns: %s\n", strings.Join(t.FirstErrors, "; "))
		}
	}
	for _, l := range r.Load {
		if len(l.FirstErrors) > 0 {
			fmt.Fprintf(w, "errors, %s at %d conns: %s\n", l.Endpoint, l.Conns, strings.Join(l.FirstErrors, "; "))
		}
	}
	if s := r.Server; s != nil {
		fmt.Fprintf(w, "\nserver: start-up to first answer %.0f ms; RSS %.0f MB (peak %.0f MB; anon %.0f MB, file-backed %.0f MB)\n",
			r.StartupMS, s.RSSMB, s.PeakMB, s.AnonMB, s.FileMB)
	}

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	r.writeKinds(tw)
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintf(tw, "target\tmeasured\ttarget\tmet\t\n")
	for _, m := range r.marks() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", m.name, num(m.Figure), m.Target, yesNo(m.Met))
	}
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// num prints a figure with about three significant digits.
func num(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "–"
	case f == 0:
		return "0"
	case math.Abs(f) >= 100:
		return fmt.Sprintf("%.0f", f)
	case math.Abs(f) >= 10:
		return fmt.Sprintf("%.1f", f)
	case math.Abs(f) >= 1:
		return fmt.Sprintf("%.2f", f)
	default:
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
	}
}

// writeKinds is the per-kind table of the search with snippets: each
// engine's median and p99, and the archive's ratios to the others.
func (r *Report) writeKinds(tw io.Writer) {
	h := r.QueryHL
	var kinds []string
	for k := range h.Blust.ByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	if h.Xapian == nil {
		fmt.Fprintf(tw, "search+highlight by kind\tBlust median ms\tFTS5 median ms\tBlust/FTS5\tBlust p99 ms\tFTS5 p99 ms\t\n")
		for _, k := range kinds {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", k, num(h.Blust.ByKind[k]), num(h.FTS5.ByKind[k]),
				num(ratio(h.Blust.ByKind[k], h.FTS5.ByKind[k])), num(p99Of(h.Blust, k)), num(p99Of(h.FTS5, k)))
		}
		return
	}
	x := h.Xapian
	fmt.Fprintf(tw, "search+highlight by kind\tmedian ms: Blust\tFTS5\tXapian\tBlust/FTS5\tp99 ms: Blust\tFTS5\tXapian\tBlust/Xapian\t\n")
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", k,
			num(h.Blust.ByKind[k]), num(h.FTS5.ByKind[k]), num(x.ByKind[k]), num(ratio(h.Blust.ByKind[k], h.FTS5.ByKind[k])),
			num(p99Of(h.Blust, k)), num(p99Of(h.FTS5, k)), num(p99Of(*x, k)), num(ratio(p99Of(h.Blust, k), p99Of(*x, k))))
	}
}

// p99Of is a kind's p99, or NaN for a report saved before it was kept.
func p99Of(m MixResult, kind string) float64 {
	if v, ok := m.ByKindP99[kind]; ok {
		return v
	}
	return math.NaN()
}

// kindsAboveFTS5 lists the kinds whose search+highlight median is above
// FTS5's. Typo and zero-hit kinds are left out: their cost is the
// spelling correction, which FTS5 does not do.
func (r *Report) kindsAboveFTS5() []string {
	var out []string
	h := r.QueryHL
	for k, v := range h.Blust.ByKind {
		if k == "typo" || k == "term_zero" {
			continue
		}
		if f, ok := h.FTS5.ByKind[k]; ok && v > f {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
