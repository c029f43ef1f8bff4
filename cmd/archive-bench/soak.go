package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blust/archive/internal/gen"
)

// SoakResult is what a soak run found: every request counted by outcome,
// latency over all of them, and the server's memory over time.
type SoakResult struct {
	Duration   string  `json:"duration"`
	Conns      int     `json:"conns"`
	Posts      int     `json:"posts"`
	Requests   int64   `json:"requests"`
	PerSecond  float64 `json:"requests_per_s"`
	Status5xx  int64   `json:"status_5xx"`
	StatusOdd  int64   `json:"status_other_non_2xx"`
	Dropped    int64   `json:"dropped"` // transport errors: refused, reset, timed out
	Latency    Latency `json:"latency"`
	RSSStartMB float64 `json:"rss_start_mb"` // after the warm-up
	RSSPeakMB  float64 `json:"rss_peak_mb"`  // highest sample during the run
	RSSEndMB   float64 `json:"rss_end_mb"`
	Samples    []int   `json:"rss_samples_mb"` // one every sampleEvery
}

// Passed reports whether the run met the soak's bar: no 5xx, nothing
// dropped.
func (r *SoakResult) Passed() bool { return r.Status5xx == 0 && r.Dropped == 0 }

const (
	soakWarmup  = 10 * time.Second
	sampleEvery = 5 * time.Second
)

// soakMix is one kind of request and its share of the traffic, in
// percent: mostly searches, then article pages and the JSON API.
type soakMix struct {
	share int
	url   func(r *rand.Rand) string
}

func soakRequests(base string, qs []gen.Query, slugs []string) []soakMix {
	query := func(r *rand.Rand) string {
		text, tags := qs[r.IntN(len(qs))].SearchBox()
		v := url.Values{"q": {text}}
		for _, t := range tags {
			v.Add("tag", t)
		}
		return v.Encode()
	}
	slug := func(r *rand.Rand) string { return url.PathEscape(slugs[r.IntN(len(slugs))]) }
	return []soakMix{
		{35, func(r *rand.Rand) string { return base + "/api/v1/search?" + query(r) }},
		{25, func(r *rand.Rand) string { return base + "/search?" + query(r) }},
		{20, func(r *rand.Rand) string { return base + "/posts/" + slug(r) }},
		{10, func(r *rand.Rand) string { return base + "/api/v1/posts/" + slug(r) }},
		{4, func(r *rand.Rand) string { return base + "/api/v1/search?facets=tags,year&per_page=20&" + query(r) }},
		{3, func(r *rand.Rand) string { return base + "/api/v1/tags" }},
		{2, func(r *rand.Rand) string { return base + "/" }},
		{1, func(r *rand.Rand) string { return base + "/readyz" }},
	}
}

func pick(mix []soakMix, r *rand.Rand) string {
	n := r.IntN(100)
	for _, m := range mix {
		if n < m.share {
			return m.url(r)
		}
		n -= m.share
	}
	return mix[0].url(r)
}

// soak builds the corpus's index, starts the real server on 127.0.0.1 and
// drives it with conns connections for d (after a warm-up), then reports.
// Traffic goes only to the server it started, and stops by itself.
func soak(ctx context.Context, cfg *config, corpus *gen.Corpus, work string) (*SoakResult, error) {
	bin, err := archiveBinary(ctx, cfg, work)
	if err != nil {
		return nil, err
	}
	indexDir := filepath.Join(work, "blust-index")
	cfg.logf("soak: indexing %d posts", corpus.Posts)
	if _, err := buildBlust(ctx, bin, corpus.Dir, indexDir, corpus.Posts, corpus.Bytes); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	srv, err := startServer(ctx, bin, corpus.Dir, indexDir)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	slugs, err := corpusSlugs(corpus.Dir, 2000)
	if err != nil {
		return nil, err
	}
	mix := soakRequests(srv.base, gen.Queries(), slugs)
	cfg.logf("soak: warm-up %v", soakWarmup)
	drive(ctx, mix, cfg.soakConns, soakWarmup, nil)
	res := &SoakResult{Duration: cfg.soak.String(), Conns: cfg.soakConns, Posts: corpus.Posts}
	if m, err := srv.memory(); err == nil {
		res.RSSStartMB = m.RSSMB
	}
	cfg.logf("soak: %v at %d connections", cfg.soak, cfg.soakConns)
	stopSampling := sampleRSS(srv, res)
	start := time.Now()
	lat := drive(ctx, mix, cfg.soakConns, cfg.soak, res)
	took := time.Since(start)
	stopSampling()
	if m, err := srv.memory(); err == nil {
		res.RSSEndMB = m.RSSMB
		res.RSSPeakMB = max(res.RSSPeakMB, m.RSSMB)
	}
	res.PerSecond = float64(res.Requests) / took.Seconds()
	res.Latency = summarize(lat)
	return res, nil
}

// drive runs conns workers for d; with res set it counts outcomes and
// returns every latency.
func drive(ctx context.Context, mix []soakMix, conns int, d time.Duration, res *SoakResult) []time.Duration {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			for ctx.Err() == nil {
				t0 := time.Now()
				status, err := get(ctx, client, pick(mix, r))
				if ctx.Err() != nil {
					break // the run ended mid-request: not the server's fault
				}
				if res != nil {
					mine = append(mine, time.Since(t0))
					count(res, status, err)
				}
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all
}

func get(ctx context.Context, client *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, err
	}
	return resp.StatusCode, nil
}

func count(res *SoakResult, status int, err error) {
	atomic.AddInt64(&res.Requests, 1)
	switch {
	case err != nil:
		atomic.AddInt64(&res.Dropped, 1)
	case status >= 500:
		atomic.AddInt64(&res.Status5xx, 1)
	case status >= 300:
		atomic.AddInt64(&res.StatusOdd, 1)
	}
}

// sampleRSS records the server's RSS every sampleEvery until stopped.
func sampleRSS(srv *server, res *SoakResult) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if m, err := srv.memory(); err == nil {
					res.Samples = append(res.Samples, int(m.RSSMB))
					res.RSSPeakMB = max(res.RSSPeakMB, m.RSSMB)
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// corpusSlugs lists up to n post slugs of the corpus folder.
func corpusSlugs(dir string, n int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".md"); ok {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the corpus has no posts")
	}
	sort.Strings(out)
	return out[:min(n, len(out))], nil
}

// writeSoak prints the soak's figures, as a table or JSON.
func writeSoak(w io.Writer, r *SoakResult, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	verdict := "PASS"
	if !r.Passed() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "soak %s at %d connections on %d posts: %s\n", r.Duration, r.Conns, r.Posts, verdict)
	fmt.Fprintf(w, "requests   %d (%.0f/s)\n", r.Requests, r.PerSecond)
	fmt.Fprintf(w, "errors     5xx %d, dropped %d, other non-2xx %d\n", r.Status5xx, r.Dropped, r.StatusOdd)
	fmt.Fprintf(w, "latency    p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", r.Latency.Median, r.Latency.P90, r.Latency.P99, r.Latency.Max)
	fmt.Fprintf(w, "server RSS start %.0f MB (after %v warm-up), peak %.0f MB, end %.0f MB\n", r.RSSStartMB, soakWarmup, r.RSSPeakMB, r.RSSEndMB)
	fmt.Fprintf(w, "RSS every %v: %v\n", sampleEvery, r.Samples)
	return nil
}
