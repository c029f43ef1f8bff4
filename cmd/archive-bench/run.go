package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/blust/archive/cmd/archive-bench/internal/fts5"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/gen"
)

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

type config struct {
	posts    int
	seed     int64
	json     bool
	corpus   string
	work     string
	bin      string
	passes   int
	loadDur  time.Duration
	conns    []int
	genOnly  bool
	skipLoad bool
	reprint  string
	log      io.Writer
	// soak, when set, replaces the benchmark with a soak of that length
	// against the real server on 127.0.0.1 (see soak.go).
	soak        time.Duration
	soakConns   int
	soakHostile bool
	// xapian is the reference script that measures Xapian, the third
	// engine; "" or a missing python3-xapian leaves it out.
	xapian string
	// ratioRounds is how many API turns the paired measurement of the API
	// against the engine in this process takes (paired.go); 0 skips it.
	ratioRounds int
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("archive-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{log: stderr}
	var conns string
	fs.IntVar(&c.posts, "posts", 10000, "posts in the generated corpus")
	fs.Int64Var(&c.seed, "seed", gen.DefaultSeed, "corpus seed")
	fs.BoolVar(&c.json, "json", false, "print the results as JSON instead of a table")
	fs.StringVar(&c.corpus, "corpus", "", "folder for the generated corpus (default: the user cache directory)")
	fs.StringVar(&c.work, "work", "", "folder for both indexes and the binary (default: a temporary folder, removed afterwards)")
	fs.StringVar(&c.bin, "archive", "", "the archive binary to measure (default: go build ./cmd/archive)")
	fs.IntVar(&c.passes, "passes", 5, "timed passes over the query mix per variant and engine")
	fs.DurationVar(&c.loadDur, "load-duration", 4*time.Second, "how long each HTTP load level runs")
	fs.StringVar(&conns, "conns", "1,8,32,64", "HTTP load levels (concurrent connections)")
	fs.BoolVar(&c.genOnly, "gen-only", false, "only write the corpus, print its folder and exit")
	fs.BoolVar(&c.skipLoad, "skip-load", false, "skip the HTTP load test")
	fs.IntVar(&c.ratioRounds, "ratio-turns", 5, "API turns, each between two in-process turns, that measure the API at 32 connections against the engine in this process (0 skips them)")
	fs.StringVar(&c.reprint, "table", "", "print the table of a saved -json report `FILE` and exit")
	fs.DurationVar(&c.soak, "soak", 0, "instead of the benchmark, soak the real server for this long (e.g. 5m): mixed searches, pages and API calls; fails on any 5xx or dropped connection")
	fs.IntVar(&c.soakConns, "soak-conns", 64, "concurrent connections of the soak")
	fs.BoolVar(&c.soakHostile, "soak-hostile", false, "with -soak: add crafted posts and a hostile share of requests (repeated filters, made-up methods, snippets of pathological posts); hostile requests may be refused or run out of budget, never fail")
	fs.StringVar(&c.xapian, "xapian", filepath.Join("..", "shared", "perf", "xapian_bench.py"), "the Xapian reference script `FILE` of the performance material (needs Debian's python3-xapian); \"\" leaves Xapian out")
	if err := fs.Parse(args); err != nil {
		return nil, &usageError{}
	}
	if c.soak < 0 || c.soak > time.Hour || c.soakConns < 1 || c.soakConns > 1024 {
		return nil, &usageError{"-soak must be at most 1h and -soak-conns between 1 and 1024"}
	}
	if c.ratioRounds < 0 {
		return nil, &usageError{"-ratio-turns must not be negative"}
	}
	if c.posts < 1 || c.passes < 1 {
		return nil, &usageError{"-posts and -passes must be at least 1"}
	}
	for _, s := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, &usageError{fmt.Sprintf("-conns: %q is not a positive number", s)}
		}
		c.conns = append(c.conns, n)
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 3 && args[0] == fts5BuildCmd {
		out, err := fts5Build(ctx, args[1], args[2])
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(out)
	}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.reprint != "" {
		return reprint(cfg.reprint, stdout)
	}
	corpus, err := ensureCorpus(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.genOnly {
		fmt.Fprintln(stdout, corpus.Dir)
		return nil
	}
	work, cleanup, err := workDir(cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	if cfg.soak > 0 {
		res, err := soak(ctx, cfg, corpus, work)
		if err != nil {
			return err
		}
		if err := writeSoak(stdout, res, cfg.json); err != nil {
			return err
		}
		if !res.Passed() {
			msg := fmt.Sprintf("soak failed: %d 5xx answers, %d dropped connections", res.Status5xx, res.Dropped)
			if h := res.Hostile; h != nil {
				msg += fmt.Sprintf("; hostile: %d failed (5xx other than 503), %d dropped", h.Failed, h.Dropped)
			}
			return errors.New(msg)
		}
		return nil
	}
	rep, err := bench(ctx, cfg, corpus, work)
	if err != nil {
		return err
	}
	rep.Targets = map[string]TargetMark{}
	for _, m := range rep.marks() {
		rep.Targets[m.name] = m.TargetMark
	}
	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.writeTable(stdout)
	return nil
}

func (c *config) logf(format string, args ...any) {
	fmt.Fprintf(c.log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func ensureCorpus(ctx context.Context, cfg *config) (*gen.Corpus, error) {
	dir := cfg.corpus
	if dir == "" {
		var err error
		if dir, err = gen.CacheDir(cfg.seed, cfg.posts); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	c, err := gen.New(cfg.seed).Ensure(ctx, dir, cfg.posts)
	if err != nil {
		return nil, err
	}
	how := "generated"
	if c.Cached {
		how = "reused"
	}
	cfg.logf("corpus: %s %d posts, %.1f MB in %.1fs (%s)", how, c.Posts, float64(c.Bytes)/1e6, time.Since(start).Seconds(), c.Dir)
	return c, nil
}

func workDir(cfg *config) (string, func(), error) {
	if cfg.work != "" {
		return cfg.work, func() {}, os.MkdirAll(cfg.work, 0o755)
	}
	dir, err := os.MkdirTemp("", "archive-bench-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// archiveBinary builds cmd/archive unless -archive names a binary.
func archiveBinary(ctx context.Context, cfg *config, work string) (string, error) {
	if cfg.bin != "" {
		return cfg.bin, nil
	}
	bin := filepath.Join(work, "archive")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/blust/archive/cmd/archive")
	cmd.Stderr = cfg.log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build the archive binary: %w", err)
	}
	return bin, nil
}

// bench runs every measurement in turn: each engine's build, the query mix
// in-process on both, then the archive's real server under load.
func bench(ctx context.Context, cfg *config, corpus *gen.Corpus, work string) (*Report, error) {
	rep := newReport(cfg, corpus)
	bin, err := archiveBinary(ctx, cfg, work)
	if err != nil {
		return nil, err
	}
	blustDir, fts5Path := filepath.Join(work, "blust-index"), filepath.Join(work, "fts5.db")

	cfg.logf("fts5: building")
	fb, fo, err := buildFTS5(ctx, corpus.Dir, fts5Path, corpus.Bytes)
	if err != nil {
		return nil, err
	}
	rep.TextBytes = fo.TextBytes
	fb.SizeRatio = float64(fb.SizeBytes) / float64(fo.TextBytes)
	rep.Build.FTS5 = fb
	rep.FTS5Phases = fo
	cfg.logf("fts5: %.0f docs/s", fb.DocsPerSec)

	cfg.logf("blust: building")
	bb, err := buildBlust(ctx, bin, corpus.Dir, blustDir, corpus.Posts, corpus.Bytes)
	if err != nil {
		return nil, err
	}
	bb.SizeRatio = float64(bb.SizeBytes) / float64(fo.TextBytes)
	rep.Build.Blust = bb
	cfg.logf("blust: %.0f docs/s", bb.DocsPerSec)

	qs := gen.Queries()
	xdb, err := xapianBuild(ctx, cfg, rep, corpus, work)
	if err != nil {
		return nil, err
	}
	if err := queryMixes(ctx, cfg, rep, fts5Path, blustDir, xdb, qs); err != nil {
		return nil, err
	}
	if !cfg.skipLoad {
		if err := loadTest(ctx, cfg, rep, bin, corpus.Dir, blustDir, qs); err != nil {
			return nil, err
		}
	}
	rep.LoadAvgEnd = loadAvg()
	return rep, nil
}

var facetsAll = []string{"tags", "authors"}

// xapianBuild builds the Xapian database when Xapian can be measured here
// and returns its folder, or "" after saying why it cannot.
func xapianBuild(ctx context.Context, cfg *config, rep *Report, corpus *gen.Corpus, work string) (string, error) {
	if why := xapianMissing(ctx, cfg.xapian); why != "" {
		rep.XapianNote = why
		cfg.logf("xapian: left out: %s", why)
		return "", nil
	}
	cfg.logf("xapian: building")
	db := filepath.Join(work, "xapian-db")
	xb, xo, err := buildXapian(ctx, cfg.xapian, corpus.Dir, db, corpus.Bytes)
	if err != nil {
		return "", err
	}
	xb.SizeRatio = float64(xb.SizeBytes) / float64(rep.TextBytes)
	rep.Build.Xapian, rep.XapianVer = &xb, xo.Version
	cfg.logf("xapian: %.0f docs/s", xb.DocsPerSec)
	return db, nil
}

// queryMixes runs the query mix on the engines, side by side (runEngines),
// rank only and with snippets, then the archive's with facets too.
func queryMixes(ctx context.Context, cfg *config, rep *Report, fts5Path, dir, xapianDB string, qs []gen.Query) error {
	db, err := fts5.Open(fts5Path)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := db.Searcher(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	store, err := index.NewStore(dir)
	if err != nil {
		return err
	}
	ix, err := index.Open(store, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	var xe *xapianEngine
	if xapianDB != "" {
		qfile := filepath.Join(filepath.Dir(xapianDB), "queries.txt")
		if err := writeQueries(qfile, qs); err != nil {
			return err
		}
		if xe, err = startXapian(ctx, cfg.xapian, xapianDB, qfile, qs); err != nil {
			return err
		}
		defer xe.close()
	}
	mix := func(what string, out *Pair[MixResult], snippets bool, v mixVariant) error {
		engines := []mixEngine{&funcEngine{qs: qs, do: fts5Do(ctx, s, qs, snippets)}, &funcEngine{qs: qs, do: blustDo(ctx, ix, qs, v)}}
		if xe != nil {
			xe.mode = map[bool]string{true: "fast-snippet", false: "rank-only"}[snippets]
			engines = append(engines, xe)
		}
		cfg.logf("%d engines: query mix, %s", len(engines), what)
		r, err := runEngines(ctx, cfg.passes, engines...)
		if err != nil {
			return err
		}
		out.FTS5, out.Blust = r[0], r[1]
		if xe != nil {
			out.Xapian = &r[2]
		}
		return nil
	}
	if err := mix("rank only", &rep.Query, false, mixVariant{}); err != nil {
		return err
	}
	if err := mix("with snippets", &rep.QueryHL, true, mixVariant{fragments: 3}); err != nil {
		return err
	}
	cfg.logf("2 engines: export of %q by relevance and by date, trends of %d topics by month", exportQuery, len(trendTopics))
	if rep.Research, err = runResearch(ctx, cfg.passes, ix, s); err != nil {
		// The query mix and the load test still say something: keep going.
		rep.ResearchNote = err.Error()
		cfg.logf("exports and trends: %v", err)
	}
	cfg.logf("blust: query mix with snippets and facets")
	fh := runMix(ctx, qs, cfg.passes, blustDo(ctx, ix, qs, mixVariant{fragments: 3, facets: facetsAll}))
	rep.FacetsHL = &fh
	// The engine's in-process throughput is its best: with one caller per
	// core, and with as many callers as the HTTP test's 32 connections.
	reqs := blustRequests(qs, mixVariant{fragments: 3})
	for _, n := range []int{runtime.GOMAXPROCS(0), 32} {
		cfg.logf("blust: in-process throughput at %d", n)
		th := hammer(ctx, n, cfg.loadDur, len(reqs), func(i int) error {
			_, err := ix.Search(ctx, reqs[i])
			return err
		})
		if rep.InProcess == nil || th.RPS > rep.InProcess.RPS {
			rep.InProcess = &th
		}
	}
	return nil
}

func loadTest(ctx context.Context, cfg *config, rep *Report, bin, corpus, indexDir string, qs []gen.Query) error {
	served := indexDir
	if cfg.ratioRounds > 0 {
		// The server holds its build; this process searches a copy of it.
		served = indexDir + "-served"
		if err := os.RemoveAll(served); err != nil {
			return err
		}
		if err := copyTree(indexDir, served); err != nil {
			return fmt.Errorf("copy the index for the server: %w", err)
		}
	}
	cfg.logf("server: starting")
	srv, err := startServer(ctx, bin, corpus, served)
	if err != nil {
		return err
	}
	defer srv.stop()
	rep.StartupMS = ms(srv.Startup)
	if err := srv.awaitSync(ctx, 2*time.Minute); err != nil {
		return err
	}
	for _, path := range []string{"/api/v1/search", "/search"} {
		srv.load(ctx, path, qs[:min(len(qs), 20)], 4, 500*time.Millisecond) // warm-up
		for _, n := range cfg.conns {
			cfg.logf("server: %s at %d connections", path, n)
			rep.Load = append(rep.Load, srv.load(ctx, path, qs, n, cfg.loadDur))
		}
	}
	if cfg.ratioRounds > 0 {
		if rep.APIRatio, err = measureRatio(ctx, cfg, srv, indexDir, qs, cfg.loadDur/2); err != nil {
			return err
		}
	}
	m, err := srv.memory()
	if err != nil {
		return err
	}
	rep.Server = &m
	return nil
}

func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

func machine() string {
	return fmt.Sprintf("%s %s/%s, %d CPUs", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
}

// reprint prints the table of a report saved with -json.
func reprint(path string, w io.Writer) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	rep.writeTable(w)
	return nil
}
