package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/gen"
	"github.com/blust/archive/internal/testshared"
)

// requireXapianEnv makes a missing Xapian a failure instead of a skip;
// .ci/run installs python3-xapian and sets it.
const requireXapianEnv = "ARCHIVE_REQUIRE_XAPIAN"

// The driver runs the reference script as it is, on a small generated
// corpus: a warm-up that counts hits, then timed passes that hand back
// one sample per query that did not fail, each of its kind.
func TestXapianDriverRunsTheReferenceScript(t *testing.T) {
	ctx := context.Background()
	script := testshared.Dir(t, "perf/xapian_bench.py")
	if why := xapianMissing(ctx, script); why != "" {
		if os.Getenv(requireXapianEnv) == "1" {
			t.Fatalf("Xapian cannot be measured: %s; %s=1 makes this a failure", why, requireXapianEnv)
		}
		t.Skipf("Xapian left out: %s", why)
	}
	dir := t.TempDir()
	c, err := gen.New(gen.DefaultSeed).Ensure(ctx, filepath.Join(dir, "corpus"), 30)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "xapian-db")
	b, o, err := buildXapian(ctx, script, c.Dir, db, c.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if o.N != 30 || b.Docs != 30 || b.SizeBytes <= 0 || !strings.HasPrefix(o.Version, "1.") {
		t.Errorf("build: %+v %+v; want 30 docs, a size and a 1.x version", b, o)
	}
	qs := gen.Queries()[:40]
	qfile := filepath.Join(dir, "queries.txt")
	if err := writeQueries(qfile, qs); err != nil {
		t.Fatal(err)
	}
	xe, err := startXapian(ctx, script, db, qfile, qs)
	if err != nil {
		t.Fatal(err)
	}
	defer xe.close()
	res, err := runEngines(ctx, 2, xe)
	if err != nil {
		t.Fatal(err)
	}
	x := res[0]
	if want := 2 * (len(qs) - x.Errors); x.Samples != want {
		t.Errorf("samples = %d, want %d (2 passes of %d queries, %d failed)", x.Samples, want, len(qs), x.Errors)
	}
	for k := range x.ByKind {
		if !hasKind(qs, k) {
			t.Errorf("a sample of kind %q, which the mix does not have", k)
		}
	}
	if x.MedianHits <= 0 || x.Median <= 0 || x.P99 < x.Median {
		t.Errorf("result %+v: want hits and a median below the p99", x)
	}
}

func hasKind(qs []gen.Query, k string) bool {
	for _, q := range qs {
		if q.Kind == k {
			return true
		}
	}
	return false
}

func TestXapianMissingSaysWhy(t *testing.T) {
	ctx := context.Background()
	if why := xapianMissing(ctx, ""); why != "no -xapian script given" {
		t.Errorf("no script: %q", why)
	}
	missing := filepath.Join(t.TempDir(), "nope.py")
	if why := xapianMissing(ctx, missing); !strings.Contains(why, "nope.py") {
		t.Errorf("missing script: %q, want the path named", why)
	}
}

// fakeEngine records when it runs and returns fixed samples.
type fakeEngine struct {
	name    string
	log     *[]string
	samples []sample
}

func (f *fakeEngine) warmUp(res *MixResult) error {
	*f.log = append(*f.log, f.name+" warm")
	res.MedianHits = 7
	return nil
}

func (f *fakeEngine) pass(context.Context) ([]sample, error) {
	*f.log = append(*f.log, f.name)
	return f.samples, nil
}

// An engine that runs whole passes itself (Xapian) takes its turns like
// the others, and its samples make its figures, kind by kind.
func TestRunEnginesTakesWholePassTurns(t *testing.T) {
	var log []string
	ms := func(n int) sample { return sample{kind: "k", d: msDur(n)} }
	a := &fakeEngine{name: "A", log: &log, samples: []sample{ms(1), ms(3)}}
	x := &fakeEngine{name: "X", log: &log, samples: []sample{ms(2), {kind: "j", d: msDur(10)}}}
	res, err := runEngines(context.Background(), 3, a, x)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(log, ","), "A warm,X warm,A,X,X,A,A,X"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
	if res[1].Samples != 6 || res[1].ByKind["k"] != 2 || res[1].ByKindP99["j"] != 10 || res[1].MedianHits != 7 {
		t.Errorf("X's result %+v", res[1])
	}
}

// The table has a Xapian column and per-kind p99s when Xapian ran, and
// says why it is missing when it did not.
func TestTableShowsXapianOrWhyNot(t *testing.T) {
	mix := func(med, p99 float64) MixResult {
		m := MixResult{ByKind: map[string]float64{"prefix": med}, ByKindP99: map[string]float64{"prefix": p99}}
		m.Median, m.P99 = med, p99
		return m
	}
	rep := &Report{Posts: 10}
	rep.QueryHL = Pair[MixResult]{Blust: mix(1, 9), FTS5: mix(2, 20)}
	rep.XapianNote = "python3-xapian is not installed"
	var b bytes.Buffer
	rep.writeTable(&b)
	out := b.String()
	if !strings.Contains(out, "Xapian left out: python3-xapian is not installed") || strings.Contains(out, "Blust/Xapian") {
		t.Errorf("without Xapian:\n%s", out)
	}
	xr := mix(3, 12)
	rep.QueryHL.Xapian, rep.Build.Xapian, rep.XapianNote, rep.XapianVer = &xr, &BuildResult{DocsPerSec: 5}, "", "1.4.22"
	b.Reset()
	rep.writeTable(&b)
	out = b.String()
	for _, want := range []string{"and Xapian 1.4.22", "Blust/Xapian", "p99 ms: Blust", "search+highlight p99, Blust/Xapian"} {
		if !strings.Contains(out, want) {
			t.Errorf("with Xapian: no %q in\n%s", want, out)
		}
	}
	// prefix: Blust p99 9 against Xapian's 12 is 0.75.
	if !strings.Contains(out, "0.75") {
		t.Errorf("with Xapian: the prefix kind's p99 ratio 0.75 is missing:\n%s", out)
	}
	if got := fmt.Sprint(rep.kindsAboveFTS5()); got != "[]" {
		t.Errorf("kinds above FTS5 = %s, want none", got)
	}
}

func msDur(n int) time.Duration { return time.Duration(n) * time.Millisecond }
