package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/gen"
)

// The JSON API's rate at 32 connections is judged against the engine's
// best in this process: with one caller per core or with 32, whichever
// does more (32 callers on two cores did less than two: the server's gate
// runs two searches a core for that reason). Measured in phases a minute
// or more apart, the ratio followed the machine's load (0.665 and 0.87
// on two runs at 100,000 posts). Here the two take short turns instead,
// in-process first and last, and each API turn is set against the mean
// of the in-process turns on either side of it, so a drift of the
// machine's speed weighs on both sides of every ratio alike.

// ratioConns is the concurrency of the API's target (issue 7).
const ratioConns = 32

// PairedRatio is the API's rate over the in-process rate, turn by turn.
type PairedRatio struct {
	Conns int `json:"conns"`
	// Requests is the length of every turn: whole passes over the mix, so
	// both sides ask the same queries as often.
	Requests int64 `json:"requests_per_turn"`
	// Callers are the in-process concurrencies tried in every in-process
	// turn; InProcess holds each turn's best.
	Callers   []int        `json:"in_process_callers"`
	InProcess []Throughput `json:"in_process_turns"`
	API       []Throughput `json:"api_turns"`
	// Ratios[k] is API[k]'s rate over the mean of InProcess[k] and
	// InProcess[k+1], the turns just before and after it.
	Ratios []float64 `json:"ratios"`
	Median float64   `json:"median_ratio"`
	Min    float64   `json:"min_ratio"`
	Max    float64   `json:"max_ratio"`
}

// alternate runs rounds API turns between rounds+1 in-process turns and
// pairs each API turn with its neighbours.
func alternate(rounds int, inProcess, api func() Throughput) *PairedRatio {
	p := &PairedRatio{InProcess: []Throughput{inProcess()}}
	for k := range rounds {
		p.API = append(p.API, api())
		p.InProcess = append(p.InProcess, inProcess())
		around := (p.InProcess[k].RPS + p.InProcess[k+1].RPS) / 2
		p.Ratios = append(p.Ratios, ratio(p.API[k].RPS, around))
	}
	if len(p.Ratios) > 0 {
		p.Median, p.Min, p.Max = median(p.Ratios), slices.Min(p.Ratios), slices.Max(p.Ratios)
		p.Conns = p.API[0].Conns
	}
	return p
}

// median of xs; the mean of the middle two for an even count.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// APIErrors counts the API turns' failed requests.
func (p *PairedRatio) APIErrors() int64 {
	var n int64
	for _, t := range p.API {
		n += t.Errors
	}
	return n
}

// typical is the turns' median of each figure, errors summed, for the
// table's one row per side.
func typical(ts []Throughput) Throughput {
	pick := func(f func(Throughput) float64) float64 {
		xs := make([]float64, len(ts))
		for i, t := range ts {
			xs[i] = f(t)
		}
		return median(xs)
	}
	out := Throughput{RPS: pick(func(t Throughput) float64 { return t.RPS }), Latency: Latency{
		Median: pick(func(t Throughput) float64 { return t.Latency.Median }),
		P90:    pick(func(t Throughput) float64 { return t.Latency.P90 }),
		P99:    pick(func(t Throughput) float64 { return t.Latency.P99 }),
	}}
	for _, t := range ts {
		out.Conns = t.Conns
		out.Errors += t.Errors
		out.Latency.Samples += t.Latency.Samples
		for _, e := range t.FirstErrors {
			if len(out.FirstErrors) < 3 {
				out.FirstErrors = append(out.FirstErrors, e)
			}
		}
	}
	return out
}

// writeRows adds the two sides' rows to the Blust-only table.
func (p *PairedRatio) writeRows(tw io.Writer) {
	for _, side := range []struct {
		name  string
		turns []Throughput
	}{
		{fmt.Sprintf("in-process, best of %s goroutines, %d turns", joinInts(p.Callers), len(p.InProcess)), p.InProcess},
		{fmt.Sprintf("GET /api/v1/search, %d conns, %d turns between", p.Conns, len(p.API)), p.API},
	} {
		t := typical(side.turns)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t\n", side.name, num(t.Latency.Median), num(t.Latency.P90), num(t.Latency.P99), num(t.RPS), t.Errors)
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " and ")
}

// summary is the ratio's line under the table.
func (p *PairedRatio) summary() string {
	return fmt.Sprintf("API / in-process at %d, alternating turns of %d requests: median %s over %d API turns (min %s, max %s), each against the in-process turns on either side",
		p.Conns, p.Requests, num(p.Median), len(p.Ratios), num(p.Min), num(p.Max))
}

// measureRatio opens the engine in this process on indexDir (a copy of
// what srv serves: a build is held by one process) and runs the turns.
// Each turn lasts about turn on the in-process side, rounded to whole
// passes over the mix, after untimed passes each way.
func measureRatio(ctx context.Context, cfg *config, srv *server, indexDir string, qs []gen.Query, turn time.Duration) (*PairedRatio, error) {
	store, err := index.NewStore(indexDir)
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(store, nil)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	reqs := blustRequests(qs, mixVariant{fragments: 3})
	search := func(i int) error {
		_, err := ix.Search(ctx, reqs[i])
		return err
	}
	get, done := srv.caller(ctx, "/api/v1/search", qs, ratioConns)
	defer done()
	nq := len(qs)
	callers := []int{runtime.GOMAXPROCS(0), ratioConns}
	hammerN(ctx, ratioConns, int64(nq), nq, get)
	// The first pass runs on cold caches, and turns set from it came out
	// at one pass, half a second, at 10,000 posts; the second sets them.
	bestOf(ctx, callers, int64(nq), nq, search)
	warm := bestOf(ctx, callers, int64(nq), nq, search).RPS
	passes := max(1, int(math.Round(warm*turn.Seconds()/float64(nq))))
	total := int64(passes * nq)
	cfg.logf("server: /api/v1/search at %d against in-process at %v, %d turns of %d requests each, alternating", ratioConns, callers, 2*cfg.ratioRounds+1, total)
	p := alternate(cfg.ratioRounds,
		func() Throughput { return bestOf(ctx, callers, total, nq, search) },
		func() Throughput { return hammerN(ctx, ratioConns, total, nq, get) })
	p.Requests, p.Callers = total, callers
	return p, ctx.Err()
}

// bestOf is one in-process turn: the requests asked by each number of
// callers in turn, and the rate of the one that did more.
func bestOf(ctx context.Context, callers []int, total int64, nq int, do func(i int) error) Throughput {
	var best Throughput
	for _, n := range callers {
		if th := hammerN(ctx, n, total, nq, do); th.RPS > best.RPS || best.Conns == 0 {
			best = th
		}
	}
	return best
}

// copyTree copies the folder src to dst, which must not exist.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Mkdir(to, info.Mode().Perm())
		case !info.Mode().IsRegular():
			return fmt.Errorf("copy %s: not a regular file", path)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
