package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
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
	mix := []soakMix{{100, func(*rand.Rand) string { return srv.URL + "/x" }}}
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
