package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The sides take turns, in-process first and last, and each API turn is
// set against the mean of the in-process turns just before and after it;
// the figure is the median of those ratios, the spread their extremes.
func TestAlternatePairsEachAPITurnWithItsNeighbours(t *testing.T) {
	inRates := []float64{100, 120, 80, 100, 60, 100}
	apiRates := []float64{88, 72, 45, 80, 40}
	var order []string
	turn := func(name string, rates []float64) func() Throughput {
		i := 0
		return func() Throughput {
			order = append(order, name)
			th := Throughput{Conns: 32, RPS: rates[i]}
			if name == "api" && i == 3 {
				th.Errors, th.FirstErrors = 2, []string{"status 503"}
			}
			i++
			return th
		}
	}
	p := alternate(len(apiRates), turn("in", inRates), turn("api", apiRates))
	want := []string{"in", "api", "in", "api", "in", "api", "in", "api", "in", "api", "in"}
	if !slices.Equal(order, want) {
		t.Fatalf("turns %v, want %v", order, want)
	}
	// 88/110, 72/100, 45/90, 80/80, 40/80
	wantRatios := []float64{0.8, 0.72, 0.5, 1, 0.5}
	if !slices.Equal(p.Ratios, wantRatios) {
		t.Errorf("ratios %v, want %v", p.Ratios, wantRatios)
	}
	if p.Median != 0.72 || p.Min != 0.5 || p.Max != 1 || p.Conns != 32 || p.APIErrors() != 2 {
		t.Errorf("median %v min %v max %v conns %d errors %d; want 0.72, 0.5, 1, 32, 2", p.Median, p.Min, p.Max, p.Conns, p.APIErrors())
	}
	if got := typical(p.InProcess).RPS; got != 100 {
		t.Errorf("typical in-process rate %v, want the median turn's 100", got)
	}
}

// The report shows both sides' turns and the paired ratio, and the API's
// target is judged on that ratio rather than on the phases measured apart.
func TestTableShowsTheAlternatingTurns(t *testing.T) {
	rep := &Report{Posts: 10, InProcess: &Throughput{Conns: 32, RPS: 200},
		Load: []LoadResult{{Endpoint: "/api/v1/search", Throughput: Throughput{Conns: 32, RPS: 100}}}}
	var b bytes.Buffer
	rep.writeTable(&b)
	if got := tableRow(b.String(), "API at 32 conns / in-process"); !slices.Equal(got, []string{"0.5", "≥ 0.7, 0 errors", "NO"}) {
		t.Errorf("without turns, the target is the phases' ratio: %q", got)
	}
	rate := func(rps, median float64, errs int64) Throughput {
		th := Throughput{Conns: 32, RPS: rps, Errors: errs}
		th.Latency.Median = median
		return th
	}
	in := []float64{300, 320, 280}
	api := []float64{248, 210} // 248/310 and 210/300
	i, j := 0, 0
	rep.APIRatio = alternate(2,
		func() Throughput { i++; return rate(in[i-1], 90, 0) },
		func() Throughput { j++; return rate(api[j-1], 130, 0) })
	rep.APIRatio.Requests, rep.APIRatio.Callers = 476, []int{2, 32}
	b.Reset()
	rep.writeTable(&b)
	out := b.String()
	for row, want := range map[string][]string{
		"in-process, best of 2 and 32 goroutines, 3 turns": {"90.0", "0", "0", "300", "0"}, // the turns' medians
		"GET /api/v1/search, 32 conns, 2 turns between":    {"130", "0", "0", "229", "0"},
		"API at 32 conns / in-process":                     {"0.75", "≥ 0.7, 0 errors", "yes"},
		// the phases' own rows stay as they were
		"in-process, 32 goroutines":    {"0", "0", "0", "200", "0"},
		"GET /api/v1/search, 32 conns": {"0", "0", "0", "100", "0"},
	} {
		if got := tableRow(out, row); !slices.Equal(got, want) {
			t.Errorf("row %q: %q, want %q", row, got, want)
		}
	}
	if want := "alternating turns of 476 requests: median 0.75 over 2 API turns (min 0.7, max 0.8)"; !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	rep.APIRatio.API[1].Errors = 1
	b.Reset()
	rep.writeTable(&b)
	if got := tableRow(b.String(), "API at 32 conns / in-process"); !slices.Equal(got, []string{"0.75", "≥ 0.7, 0 errors", "NO"}) {
		t.Errorf("an API turn's error must fail the target: %q", got)
	}
}

// tableRow is the cells after the first of the table row named name.
func tableRow(out, name string) []string {
	for _, line := range strings.Split(out, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 2 || strings.TrimSpace(cells[0]) != name {
			continue
		}
		var rest []string
		for _, c := range cells[1 : len(cells)-1] {
			rest = append(rest, strings.TrimSpace(c))
		}
		return rest
	}
	return nil
}

// hammerN asks exactly the number of queries it is given, whole passes
// over the mix when that is a multiple of its length.
func TestHammerNAsksExactlyTotal(t *testing.T) {
	const nq = 7
	var calls [nq]atomic.Int64
	th := hammerN(context.Background(), 5, 3*nq, nq, func(i int) error {
		calls[i].Add(1)
		return nil
	})
	for i := range calls {
		if n := calls[i].Load(); n != 3 {
			t.Errorf("query %d asked %d times, want 3", i, n)
		}
	}
	if th.Latency.Samples != 3*nq || th.RPS <= 0 {
		t.Errorf("%d samples at %v req/s, want %d", th.Latency.Samples, th.RPS, 3*nq)
	}
}

func TestCopyTreeCopiesFilesAndFolders(t *testing.T) {
	src := t.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "builds", "b1"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"CURRENT": "b1\n", "builds/b1/root.bolt": "data"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "copy")
	if err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"CURRENT": "b1\n", "builds/b1/root.bolt": "data"} {
		if b, err := os.ReadFile(filepath.Join(dst, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", name, b, err, want)
		}
	}
}

// An in-process turn is the better of its concurrencies: here callers
// that wait rather than compute, so more of them do more.
func TestBestOfKeepsTheFasterConcurrency(t *testing.T) {
	th := bestOf(context.Background(), []int{1, 8}, 32, 8, func(int) error {
		time.Sleep(2 * time.Millisecond)
		return nil
	})
	if th.Conns != 8 || th.Latency.Samples != 32 {
		t.Errorf("best of 1 and 8 callers: %d callers, %d samples; want 8 and 32", th.Conns, th.Latency.Samples)
	}
}
