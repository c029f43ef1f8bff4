package main

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarize(ds)
	want := Latency{Samples: 100, Median: 50, P90: 90, P99: 99, Max: 100, Mean: 50.5}
	if got != want {
		t.Errorf("summarize(1..100 ms) = %+v, want %+v", got, want)
	}
	if got := summarize(nil); got != (Latency{}) {
		t.Errorf("summarize(nil) = %+v, want zero", got)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		conns   int
	}{
		{nil, false, 4},
		{[]string{"-conns", "1,32"}, false, 2},
		{[]string{"-conns", "1,x"}, true, 0},
		{[]string{"-posts", "0"}, true, 0},
	}
	for _, tc := range tests {
		c, err := parseFlags(tc.args, &discard{})
		if (err != nil) != tc.wantErr {
			t.Errorf("parseFlags(%q) error = %v, want error %v", tc.args, err, tc.wantErr)
			continue
		}
		if err == nil && len(c.conns) != tc.conns {
			t.Errorf("parseFlags(%q) conns = %v, want %d levels", tc.args, c.conns, tc.conns)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
