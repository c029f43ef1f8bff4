package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/blust/archive/internal/gen"
)

// Xapian is the third engine: Xapian 1.4 through the reference script of
// the performance material (xapian_bench.py), which Debian's python3-xapian
// runs. The script is not ours and stays outside the repository; the
// benchmark finds it with -xapian and drives it as it is.
//
// The script times a whole run of the mix and prints only its summary, so
// the benchmark cannot take turns query by query; it takes turns pass by
// pass, as it does with FTS5: a small driver (xapianDriver) keeps the
// script loaded and, for each turn, runs one pass with its query function
// and hands back every query's time, which the benchmark then summarises
// exactly as it does its own.

// xapianDriver is Python run with -c: argv[1] is the script's folder,
// argv[2] the database, argv[3] the query file; each line read on stdin
// is a number of passes (0 for the warm-up, which counts hits) and the
// script's mode (fast-snippet or rank-only), each answer one JSON line. The script's summary is replaced so that the
// samples come back raw.
const xapianDriver = `
import json, sys
sys.path.insert(0, sys.argv[1])
import xapian_bench as xb
def raw(engine, samples, wall, hits, errors, passes):
    return {"samples": [[k, s] for k, s, _ in samples], "hits": hits, "errors": errors}
xb.summarize = raw
for line in sys.stdin:
    passes, mode = line.split()
    print(json.dumps(xb.query(sys.argv[2], sys.argv[3], int(passes), mode)), flush=True)
`

// python is Debian's interpreter, the one python3-xapian is installed for.
const python = "/usr/bin/python3"

// xapianMissing says why Xapian cannot be measured here, or "" when it can.
func xapianMissing(ctx context.Context, script string) string {
	if script == "" {
		return "no -xapian script given"
	}
	if _, err := os.Stat(script); err != nil {
		return fmt.Sprintf("the reference script is not there (%v)", err)
	}
	out, err := exec.CommandContext(ctx, python, "-c", "import xapian").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("%s cannot import xapian (install Debian's python3-xapian and xapian-tools): %s", python, strings.TrimSpace(tail(string(out), 300)))
	}
	return ""
}

// xapianBuildOutput is the part of the script's build report the table uses.
type xapianBuildOutput struct {
	N         int     `json:"n"`
	IndexS    float64 `json:"index_s"`
	SizeBytes int64   `json:"size_bytes"`
	Version   string  `json:"xapian"`
}

// buildXapian runs the script's build and measures it from outside, as
// the other engines' builds are.
func buildXapian(ctx context.Context, script, corpus, db string, mdBytes int64) (BuildResult, xapianBuildOutput, error) {
	took, ru, out, err := runMeasured(ctx, python, script, "build", corpus, db)
	if err != nil {
		return BuildResult{}, xapianBuildOutput{}, err
	}
	var o xapianBuildOutput
	if err := json.Unmarshal(lastLine(out), &o); err != nil {
		return BuildResult{}, o, fmt.Errorf("xapian build output %q: %w", tail(string(out), 300), err)
	}
	r := measured(took, ru, o.N, mdBytes)
	r.SizeBytes = o.SizeBytes
	return r, o, nil
}

func lastLine(b []byte) []byte {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return []byte(s)
}

// writeQueries writes the mix in the script's format (KIND, a tab, the
// query), so that both see the same queries in the same order.
func writeQueries(path string, qs []gen.Query) error {
	var b strings.Builder
	for _, q := range qs {
		if strings.ContainsAny(q.Kind+q.Text, "\t\n") {
			return fmt.Errorf("query %q of kind %q cannot be written one per line", q.Text, q.Kind)
		}
		fmt.Fprintf(&b, "%s\t%s\n", q.Kind, q.Text)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// xapianEngine is a running driver: one Python process for the whole mix.
type xapianEngine struct {
	qs   []gen.Query
	mode string // the script's: fast-snippet (a search page's snippets) or rank-only
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	errs strings.Builder
}

type xapianAnswer struct {
	Samples [][2]json.RawMessage `json:"samples"`
	Hits    map[string]int       `json:"hits"`
	Errors  map[string]string    `json:"errors"`
}

func startXapian(ctx context.Context, script, db, queries string, qs []gen.Query) (*xapianEngine, error) {
	e := &xapianEngine{qs: qs, mode: "fast-snippet"}
	e.cmd = exec.CommandContext(ctx, python, "-c", xapianDriver, filepath.Dir(script), db, queries)
	e.cmd.Stderr = &e.errs
	in, err := e.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := e.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := e.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the xapian driver: %w", err)
	}
	e.in, e.out = in, bufio.NewReaderSize(out, 1<<20)
	return e, nil
}

func (e *xapianEngine) ask(passes int) (*xapianAnswer, error) {
	if _, err := fmt.Fprintf(e.in, "%d %s\n", passes, e.mode); err != nil {
		return nil, fmt.Errorf("xapian driver: %w: %s", err, tail(e.errs.String(), 1000))
	}
	line, err := e.out.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("xapian driver: %w: %s", err, tail(e.errs.String(), 1000))
	}
	var a xapianAnswer
	if err := json.Unmarshal(line, &a); err != nil {
		return nil, fmt.Errorf("xapian driver answer %q: %w", tail(string(line), 300), err)
	}
	return &a, nil
}

func (e *xapianEngine) close() {
	e.in.Close()
	if err := e.cmd.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		_ = err // the figures are already in; a driver that exits badly after them changes nothing
	}
}

// warmUp runs the script's own untimed pass, which also counts the hits.
func (e *xapianEngine) warmUp(res *MixResult) error {
	a, err := e.ask(0)
	if err != nil {
		return err
	}
	var hits []int
	for _, q := range e.qs {
		if msg, bad := a.Errors[q.Text]; bad {
			res.Errors++
			if len(res.FirstErrors) < 3 {
				res.FirstErrors = append(res.FirstErrors, fmt.Sprintf("%s: %s", q.Text, msg))
			}
			continue
		}
		hits = append(hits, a.Hits[q.Text])
	}
	res.countHits(hits)
	return nil
}

// pass runs one timed pass in the script and returns each query's time.
func (e *xapianEngine) pass(context.Context) ([]sample, error) {
	a, err := e.ask(1)
	if err != nil {
		return nil, err
	}
	out := make([]sample, 0, len(a.Samples))
	for _, s := range a.Samples {
		var kind string
		var secs float64
		if err := json.Unmarshal(s[0], &kind); err != nil {
			return nil, fmt.Errorf("xapian sample kind %s: %w", s[0], err)
		}
		if err := json.Unmarshal(s[1], &secs); err != nil {
			return nil, fmt.Errorf("xapian sample time %s: %w", s[1], err)
		}
		out = append(out, sample{kind: kind, d: time.Duration(secs * float64(time.Second))})
	}
	return out, nil
}
