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

// Pair is one figure for both engines.
type Pair[T any] struct {
	Blust T `json:"blust"`
	FTS5  T `json:"fts5"`
}

// Report is everything one run measured.
type Report struct {
	Date        time.Time             `json:"date"`
	Machine     string                `json:"machine"`
	SQLite      string                `json:"sqlite"`
	Posts       int                   `json:"posts"`
	Seed        int64                 `json:"seed"`
	MDBytes     int64                 `json:"markdown_bytes"`
	TextBytes   int64                 `json:"text_bytes"`
	Passes      int                   `json:"passes"`
	Build       Pair[BuildResult]     `json:"build"`
	FTS5Phases  fts5BuildOutput       `json:"fts5_build_phases"`
	Query       Pair[MixResult]       `json:"query_rank_only"`
	QueryHL     Pair[MixResult]       `json:"query_highlight"`
	FacetsHL    *MixResult            `json:"blust_query_facets_highlight,omitempty"`
	InProcess   *Throughput           `json:"blust_in_process,omitempty"`
	Load        []LoadResult          `json:"load,omitempty"`
	Server      *Memory               `json:"server_memory,omitempty"`
	StartupMS   float64               `json:"startup_to_first_answer_ms"`
	LoadAvgEnd  float64               `json:"loadavg_end"`
	LoadAvgBase float64               `json:"loadavg_start"`
	Targets     map[string]TargetMark `json:"targets,omitempty"`
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
	if r.FacetsHL != nil {
		out = append(out, m{"facets+highlight median, ms", TargetMark{r.FacetsHL.Median, fmt.Sprintf("≤ %g ms", facetLimit), r.FacetsHL.Median <= facetLimit}})
	}
	if a, ok := r.api32(); ok && r.InProcess != nil {
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
	fmt.Fprintf(w, "Blust Archive vs SQLite FTS5 %s: %d generated posts (%.0f MB Markdown, %.0f MB text), %s, load %.1f→%.1f\n\n",
		r.SQLite, r.Posts, float64(r.MDBytes)/1e6, float64(r.TextBytes)/1e6, r.Machine, r.LoadAvgBase, r.LoadAvgEnd)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	row := func(name string, a, b float64, unit string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, num(a)+unit, num(b)+unit, num(ratio(a, b)))
	}
	fmt.Fprintf(tw, "figure\tBlust\tFTS5\tBlust/FTS5\t\n")
	bb, fb := r.Build.Blust, r.Build.FTS5
	row("build, docs/s", bb.DocsPerSec, fb.DocsPerSec, "")
	row("build, Markdown MB/s", bb.MBPerSec, fb.MBPerSec, "")
	row("build, wall s", bb.Seconds, fb.Seconds, "")
	row("build, CPU s", bb.CPUSeconds, fb.CPUSeconds, "")
	row("build, peak RSS MB", bb.PeakRSSMB, fb.PeakRSSMB, "")
	row("index size, MB", float64(bb.SizeBytes)/1e6, float64(fb.SizeBytes)/1e6, "")
	row("index size / raw text", bb.SizeRatio, fb.SizeRatio, "")
	q, h := r.Query, r.QueryHL
	row("search, median ms", q.Blust.Median, q.FTS5.Median, "")
	row("search, p99 ms", q.Blust.P99, q.FTS5.P99, "")
	row("search+highlight, median ms", h.Blust.Median, h.FTS5.Median, "")
	row("search+highlight, p90 ms", h.Blust.P90, h.FTS5.P90, "")
	row("search+highlight, p99 ms", h.Blust.P99, h.FTS5.P99, "")
	row("search+highlight, q/s 1 thread", h.Blust.QPS, h.FTS5.QPS, "")
	row("queries with 0 hits", float64(h.Blust.ZeroHits), float64(h.FTS5.ZeroHits), "")
	row("median hits", float64(h.Blust.MedianHits), float64(h.FTS5.MedianHits), "")
	tw.Flush()

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
	tw.Flush()
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
	fmt.Fprintf(tw, "search+highlight by kind\tBlust median ms\tFTS5 median ms\tBlust/FTS5\t\n")
	var kinds []string
	for k := range h.Blust.ByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", k, num(h.Blust.ByKind[k]), num(h.FTS5.ByKind[k]), num(ratio(h.Blust.ByKind[k], h.FTS5.ByKind[k])))
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintf(tw, "target (issue 7)\tmeasured\ttarget\tmet\t\n")
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
