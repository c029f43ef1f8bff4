package main

import (
	"slices"
	"time"
)

// Latency summarises samples in milliseconds.
type Latency struct {
	Samples int     `json:"samples"`
	Median  float64 `json:"median_ms"`
	P90     float64 `json:"p90_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
	Mean    float64 `json:"mean_ms"`
}

func summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Latency{
		Samples: len(s),
		Median:  ms(percentile(s, 50)),
		P90:     ms(percentile(s, 90)),
		P99:     ms(percentile(s, 99)),
		Max:     ms(s[len(s)-1]),
		Mean:    ms(sum / time.Duration(len(s))),
	}
}

// percentile is the nearest-rank percentile of ascending samples, as the
// reference baseline computes it.
func percentile(s []time.Duration, p int) time.Duration {
	k := (p*len(s)+99)/100 - 1
	return s[max(0, min(len(s)-1, k))]
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
