package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/blust/archive/internal/gen"
)

// runMixes warms each engine up on its own, then gives each a pass in
// turn, the one going first changing from round to round.
func TestRunMixesInterleavesEngines(t *testing.T) {
	qs := []gen.Query{{Kind: "a", Text: "x"}, {Kind: "a", Text: "y"}, {Kind: "b", Text: "z"}}
	var calls []string
	engine := func(name string, fails int) func(int) (int, error) {
		return func(i int) (int, error) {
			calls = append(calls, fmt.Sprint(name, i))
			if i == fails {
				return 0, errors.New("broken")
			}
			return i, nil
		}
	}
	res := runMixes(context.Background(), qs, 2, engine("A", -1), engine("B", 2))
	want := []string{
		"A0", "A1", "A2", "B0", "B1", "B2", // warm-up, untimed
		"A0", "A1", "A2", "B0", "B1", // round 1: B2 failed in the warm-up and is skipped
		"B0", "B1", "A0", "A1", "A2", // round 2 starts with the other engine
	}
	if !slices.Equal(calls, want) {
		t.Errorf("calls\n got  %v\n want %v", calls, want)
	}
	if got := [2]int{res[0].Samples, res[1].Samples}; got != [2]int{6, 4} {
		t.Errorf("samples = %v, want [6 4]", got)
	}
	if res[1].Errors != 1 || res[0].Errors != 0 {
		t.Errorf("errors = %d, %d; want 0, 1", res[0].Errors, res[1].Errors)
	}
	if len(res[0].ByKind) != 2 || len(res[1].ByKind) != 1 {
		t.Errorf("kinds = %v, %v", res[0].ByKind, res[1].ByKind)
	}
}

// TestHammerSpreadsTheMixEvenly: with queries of very different costs,
// every query of the mix is asked as often as any other (give or take
// one), so the rate is the mix's and not that of its cheap part.
func TestHammerSpreadsTheMixEvenly(t *testing.T) {
	const nq = 40
	var mu sync.Mutex
	calls := make([]int, nq)
	th := hammer(context.Background(), 8, 300*time.Millisecond, nq, func(i int) error {
		mu.Lock()
		calls[i]++
		mu.Unlock()
		if i < nq/2 {
			time.Sleep(2 * time.Millisecond) // the expensive half
		}
		return nil
	})
	lo, hi := slices.Min(calls), slices.Max(calls)
	if th.RPS == 0 || hi-lo > 1 {
		t.Errorf("calls per query range from %d to %d (%v), want within one; %v req/s", lo, hi, calls, th.RPS)
	}
}
