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
	Duration  string  `json:"duration"`
	Conns     int     `json:"conns"`
	Posts     int     `json:"posts"`
	Requests  int64   `json:"requests"`
	PerSecond float64 `json:"requests_per_s"`
	Status5xx int64   `json:"status_5xx"`
	StatusOdd int64   `json:"status_other_non_2xx"`
	Dropped   int64   `json:"dropped"` // transport errors: refused, reset, timed out
	Latency   Latency `json:"latency"` // of the ordinary requests only
	// Hostile counts the hostile mix's requests by outcome (-soak-hostile):
	// refusals and 503s out of budget are expected, failures are not.
	Hostile    *HostileCounts `json:"hostile,omitempty"`
	RSSStartMB float64        `json:"rss_start_mb"` // after the warm-up
	RSSPeakMB  float64        `json:"rss_peak_mb"`  // highest sample during the run
	RSSEndMB   float64        `json:"rss_end_mb"`
	Samples    []int          `json:"rss_samples_mb"` // one every sampleEvery
}

// HostileCounts is what the hostile requests got.
type HostileCounts struct {
	Requests  int64   `json:"requests"`
	OK        int64   `json:"status_2xx"`
	Refused   int64   `json:"status_4xx"`
	OverTime  int64   `json:"status_503"`
	Failed    int64   `json:"status_other_5xx"`
	Dropped   int64   `json:"dropped"`
	Latency   Latency `json:"latency"`
	latencies []time.Duration
}

// Passed reports whether the run met the soak's bar: no 5xx and nothing
// dropped among ordinary requests, and no hostile request that failed
// (anything 5xx but a 503 out of budget) or lost its connection.
func (r *SoakResult) Passed() bool {
	ok := r.Status5xx == 0 && r.Dropped == 0
	if r.Hostile != nil {
		ok = ok && r.Hostile.Failed == 0 && r.Hostile.Dropped == 0
	}
	return ok
}

const (
	soakWarmup  = 10 * time.Second
	sampleEvery = 5 * time.Second
)

// soakMix is one kind of request and its share of the traffic, in
// percent of the ordinary mix: mostly searches, then article pages and the
// JSON API. Hostile kinds add their shares on top.
type soakMix struct {
	share   int
	req     func(r *rand.Rand) soakRequest
	hostile bool
}

// soakRequest is one request to send.
type soakRequest struct {
	method, url string
	hostile     bool
}

func getOf(u func(r *rand.Rand) string) func(r *rand.Rand) soakRequest {
	return func(r *rand.Rand) soakRequest { return soakRequest{method: http.MethodGet, url: u(r)} }
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
		{share: 35, req: getOf(func(r *rand.Rand) string { return base + "/api/v1/search?" + query(r) })},
		{share: 25, req: getOf(func(r *rand.Rand) string { return base + "/search?" + query(r) })},
		{share: 20, req: getOf(func(r *rand.Rand) string { return base + "/posts/" + slug(r) })},
		{share: 10, req: getOf(func(r *rand.Rand) string { return base + "/api/v1/posts/" + slug(r) })},
		{share: 4, req: getOf(func(r *rand.Rand) string { return base + "/api/v1/search?facets=tags,year&per_page=20&" + query(r) })},
		{share: 3, req: getOf(func(r *rand.Rand) string { return base + "/api/v1/tags" })},
		{share: 2, req: getOf(func(r *rand.Rand) string { return base + "/" })},
		{share: 1, req: getOf(func(r *rand.Rand) string { return base + "/readyz" })},
	}
}

func pick(mix []soakMix, r *rand.Rand) soakRequest {
	total := 0
	for _, m := range mix {
		total += m.share
	}
	n := r.IntN(total)
	for _, m := range mix {
		if n < m.share {
			req := m.req(r)
			req.hostile = m.hostile
			return req
		}
		n -= m.share
	}
	return mix[0].req(r)
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
	dir, posts := corpus.Dir, corpus.Posts
	if cfg.soakHostile {
		dir = filepath.Join(work, "hostile-corpus")
		if posts, err = hostileCorpus(corpus.Dir, dir); err != nil {
			return nil, err
		}
	}
	cfg.logf("soak: indexing %d posts", posts)
	if _, err := buildBlust(ctx, bin, dir, indexDir, posts, corpus.Bytes); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	srv, err := startServer(ctx, bin, dir, indexDir)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	slugs, err := corpusSlugs(corpus.Dir, 2000)
	if err != nil {
		return nil, err
	}
	mix := soakRequests(srv.base, gen.Queries(), slugs)
	if cfg.soakHostile {
		mix = append(mix, hostileRequests(srv.base)...)
	}
	cfg.logf("soak: warm-up %v", soakWarmup)
	drive(ctx, mix, cfg.soakConns, soakWarmup, nil)
	res := &SoakResult{Duration: cfg.soak.String(), Conns: cfg.soakConns, Posts: posts}
	if cfg.soakHostile {
		res.Hostile = &HostileCounts{}
	}
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
	if res.Hostile != nil {
		res.Hostile.Latency = summarize(res.Hostile.latencies)
	}
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
	var all, hostile []time.Duration
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine, theirs []time.Duration
			for ctx.Err() == nil {
				t0 := time.Now()
				req := pick(mix, r)
				status, err := send(ctx, client, req)
				if ctx.Err() != nil {
					break // the run ended mid-request: not the server's fault
				}
				if res == nil {
					continue
				}
				if req.hostile && res.Hostile != nil {
					theirs = append(theirs, time.Since(t0))
					countHostile(res.Hostile, status, err)
					continue
				}
				mine = append(mine, time.Since(t0))
				count(res, status, err)
			}
			mu.Lock()
			all = append(all, mine...)
			hostile = append(hostile, theirs...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if res != nil && res.Hostile != nil {
		res.Hostile.latencies = hostile
	}
	return all
}

func send(ctx context.Context, client *http.Client, sr soakRequest) (int, error) {
	req, err := http.NewRequestWithContext(ctx, sr.method, sr.url, nil)
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

func countHostile(h *HostileCounts, status int, err error) {
	atomic.AddInt64(&h.Requests, 1)
	switch {
	case err != nil:
		atomic.AddInt64(&h.Dropped, 1)
	case status == http.StatusServiceUnavailable:
		atomic.AddInt64(&h.OverTime, 1)
	case status >= 500:
		atomic.AddInt64(&h.Failed, 1)
	case status >= 400:
		atomic.AddInt64(&h.Refused, 1)
	default:
		atomic.AddInt64(&h.OK, 1)
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
	if h := r.Hostile; h != nil {
		fmt.Fprintf(w, "hostile    %d requests: 2xx %d, 4xx %d, 503 %d, other 5xx %d, dropped %d; p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
			h.Requests, h.OK, h.Refused, h.OverTime, h.Failed, h.Dropped, h.Latency.Median, h.Latency.P99, h.Latency.Max)
	}
	fmt.Fprintf(w, "server RSS start %.0f MB (after %v warm-up), peak %.0f MB, end %.0f MB\n", r.RSSStartMB, soakWarmup, r.RSSPeakMB, r.RSSEndMB)
	fmt.Fprintf(w, "RSS every %v: %v\n", sampleEvery, r.Samples)
	return nil
}
