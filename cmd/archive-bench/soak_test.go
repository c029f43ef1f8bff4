package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSoakMixSharesAddUpToAHundred(t *testing.T) {
	total := 0
	for _, m := range soakRequests("http://127.0.0.1:1", nil, []string{"a"}) {
		total += m.share
	}
	if total != 100 {
		t.Errorf("shares add up to %d, want 100", total)
	}
}

// TestDriveCountsEveryOutcome runs the soak's driver briefly against a
// local server that answers 200, 500, 404 or hangs up, and checks that
// each outcome lands in its own count.
func TestDriveCountsEveryOutcome(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) % 4 {
		case 1:
			w.WriteHeader(http.StatusInternalServerError)
		case 2:
			w.WriteHeader(http.StatusNotFound)
		case 3:
			panic(http.ErrAbortHandler) // the connection is cut
		}
	}))
	defer srv.Close()
	mix := []soakMix{{share: 100, req: getOf(func(*rand.Rand) string { return srv.URL + "/x" })}}
	res := &SoakResult{}
	lat := drive(context.Background(), mix, 4, 300*time.Millisecond, res)
	if res.Requests == 0 || int64(len(lat)) != res.Requests {
		t.Fatalf("requests %d, latencies %d", res.Requests, len(lat))
	}
	if res.Status5xx == 0 || res.StatusOdd == 0 || res.Dropped == 0 {
		t.Errorf("5xx %d, other %d, dropped %d: want each outcome counted", res.Status5xx, res.StatusOdd, res.Dropped)
	}
	if res.Passed() {
		t.Error("a run with 5xx answers passed")
	}
	var out strings.Builder
	writeSoak(&out, res, false)
	if !strings.Contains(out.String(), "FAIL") {
		t.Errorf("report = %q, want FAIL", out.String())
	}
}

// TestDriveCountsHostileApart sends a mix of ordinary and hostile
// requests to a server that refuses made-up methods, runs out of budget on
// one hostile path and fails on another, and checks that each lands in
// the hostile counts, that ordinary latency leaves them out, and that only
// the failure fails the run.
func TestDriveCountsHostileApart(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != http.MethodGet:
			w.WriteHeader(http.StatusMethodNotAllowed)
		case r.URL.Path == "/slow":
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.URL.Path == "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	mix := []soakMix{
		{share: 50, req: getOf(func(*rand.Rand) string { return srv.URL + "/ok" })},
		{share: 20, hostile: true, req: func(*rand.Rand) soakRequest { return soakRequest{method: "FROB", url: srv.URL + "/ok"} }},
		{share: 20, hostile: true, req: getOf(func(*rand.Rand) string { return srv.URL + "/slow" })},
	}
	res := &SoakResult{Hostile: &HostileCounts{}}
	lat := drive(context.Background(), mix, 4, 300*time.Millisecond, res)
	h := res.Hostile
	if res.Requests == 0 || h.Requests == 0 || int64(len(lat)) != res.Requests {
		t.Fatalf("ordinary %d (latencies %d), hostile %d", res.Requests, len(lat), h.Requests)
	}
	if res.Status5xx != 0 || h.Refused == 0 || h.OverTime == 0 || h.Failed != 0 || h.OK != 0 {
		t.Errorf("ordinary 5xx %d; hostile 4xx %d, 503 %d, failed %d, 2xx %d", res.Status5xx, h.Refused, h.OverTime, h.Failed, h.OK)
	}
	if !res.Passed() {
		t.Error("refusals and 503s of hostile requests failed the run")
	}
	mix = append(mix, soakMix{share: 10, hostile: true, req: getOf(func(*rand.Rand) string { return srv.URL + "/broken" })})
	res = &SoakResult{Hostile: &HostileCounts{}}
	drive(context.Background(), mix, 4, 300*time.Millisecond, res)
	if res.Hostile.Failed == 0 || res.Passed() {
		t.Errorf("a hostile 500 gave failed=%d, passed=%v", res.Hostile.Failed, res.Passed())
	}
}

// TestHostileCorpusKeepsTheSourceAndAddsCraftedPosts checks that the
// hostile corpus holds every source post plus the crafted ones, and that
// the crafted posts have the shapes they are meant to have.
func TestHostileCorpusKeepsTheSourceAndAddsCraftedPosts(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	for _, name := range []string{"a.md", "b.md", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte("---\ntitle: x\ndate: 2020-01-01\n---\nx\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, err := hostileCorpus(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 + len(hostilePosts()); n != want {
		t.Errorf("posts = %d, want %d", n, want)
	}
	repeat, err := os.ReadFile(filepath.Join(dst, "hostile-repeat.md"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(repeat), hostileWord); got != 30000 {
		t.Errorf("hostile-repeat holds the word %d times, want 30000", got)
	}
	tags, err := os.ReadFile(filepath.Join(dst, "hostile-tags.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tags), ", t1499]") {
		t.Error("hostile-tags does not list 1,500 tags")
	}
	if _, err := os.Stat(filepath.Join(dst, "a.md")); err != nil {
		t.Errorf("source post missing: %v", err)
	}
	if _, err := os.Stat(filepath.Join(src, "hostile-repeat.md")); err == nil {
		t.Error("the source folder was changed")
	}
}

// TestHostileRequestsAreSendable checks that every hostile kind makes a
// request the client can send (a made-up method must still be a token), so
// a dropped count in the soak is the server's doing, never the client's.
func TestHostileRequestsAreSendable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i, m := range hostileRequests("http://127.0.0.1:1") {
		if !m.hostile {
			t.Errorf("kind %d is not marked hostile", i)
		}
		sr := m.req(r)
		req, err := http.NewRequest(sr.method, sr.url, nil)
		if err != nil {
			t.Errorf("kind %d: %v", i, err)
			continue
		}
		if len(req.URL.String()) > 64<<10 {
			t.Errorf("kind %d: URL of %d bytes", i, len(req.URL.String()))
		}
	}
}
