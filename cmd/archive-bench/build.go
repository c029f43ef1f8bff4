package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/blust/archive/cmd/archive-bench/internal/fts5"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// BuildResult is one engine's full build of the corpus, measured from
// outside the process that did it.
type BuildResult struct {
	Seconds    float64 `json:"seconds"`
	DocsPerSec float64 `json:"docs_per_s"`
	MBPerSec   float64 `json:"md_mb_per_s"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	CPUSeconds float64 `json:"cpu_s"`
	SizeBytes  int64   `json:"size_bytes"`
	SizeRatio  float64 `json:"size_per_text"`
	Docs       int     `json:"docs"`
}

// runMeasured runs a command and returns its wall time and resource use.
func runMeasured(ctx context.Context, name string, args ...string) (time.Duration, *syscall.Rusage, []byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		return took, nil, nil, fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(errb.String(), 2000))
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return took, ru, out.Bytes(), nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func measured(took time.Duration, ru *syscall.Rusage, docs int, mdBytes int64) BuildResult {
	r := BuildResult{Seconds: took.Seconds(), Docs: docs}
	r.DocsPerSec = float64(docs) / took.Seconds()
	r.MBPerSec = float64(mdBytes) / 1e6 / took.Seconds()
	if ru != nil {
		r.PeakRSSMB = float64(ru.Maxrss) / 1024
		r.CPUSeconds = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	return r
}

// buildBlust runs the real binary's -reindex on the corpus.
func buildBlust(ctx context.Context, bin, corpus, indexDir string, docs int, mdBytes int64) (BuildResult, error) {
	if err := os.RemoveAll(indexDir); err != nil {
		return BuildResult{}, err
	}
	took, ru, _, err := runMeasured(ctx, bin, "-reindex", "-content", corpus, "-index", indexDir)
	if err != nil {
		return BuildResult{}, err
	}
	r := measured(took, ru, docs, mdBytes)
	r.SizeBytes, err = dirSize(filepath.Join(indexDir, "builds"))
	return r, err
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// fts5BuildOutput is what the FTS5 build child process prints.
type fts5BuildOutput struct {
	Docs      int     `json:"docs"`
	TextBytes int64   `json:"text_bytes"`
	SizeBytes int64   `json:"size_bytes"`
	ParseS    float64 `json:"parse_s"`
	InsertS   float64 `json:"insert_s"`
	OptimizeS float64 `json:"optimize_s"`
}

const fts5BuildCmd = "internal-fts5-build"

// buildFTS5 runs this program again as a child that builds the FTS5
// index, so its time and peak memory are measured like the archive's.
func buildFTS5(ctx context.Context, corpus, db string, mdBytes int64) (BuildResult, fts5BuildOutput, error) {
	self, err := os.Executable()
	if err != nil {
		return BuildResult{}, fts5BuildOutput{}, err
	}
	took, ru, out, err := runMeasured(ctx, self, fts5BuildCmd, corpus, db)
	if err != nil {
		return BuildResult{}, fts5BuildOutput{}, err
	}
	var o fts5BuildOutput
	if err := json.Unmarshal(out, &o); err != nil {
		return BuildResult{}, o, fmt.Errorf("fts5 build output %q: %w", out, err)
	}
	r := measured(took, ru, o.Docs, mdBytes)
	r.SizeBytes = o.SizeBytes
	return r, o, nil
}

// fts5Build is the child: load and render the posts as the archive does
// (plain text through internal/render on every core), insert them in one
// transaction, optimize.
func fts5Build(ctx context.Context, corpus, dbPath string) (*fts5BuildOutput, error) {
	out := &fts5BuildOutput{}
	t0 := time.Now()
	loaded, err := post.Load(os.DirFS(corpus), post.LoadOptions{})
	if err != nil {
		return nil, err
	}
	db, err := fts5.Create(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	docs := make(chan fts5.Doc, 256)
	var textBytes int64
	var mu sync.Mutex
	go func() {
		defer close(docs)
		renderAll(loaded.Posts, func(d fts5.Doc) {
			mu.Lock()
			textBytes += int64(len(d.Title) + len(d.Body))
			mu.Unlock()
			docs <- d
		})
	}()
	t1 := time.Now()
	n, err := db.Insert(ctx, docs)
	if err != nil {
		return nil, err
	}
	t2 := time.Now()
	if err := db.Optimize(ctx); err != nil {
		return nil, err
	}
	t3 := time.Now()
	size, err := db.Size(ctx)
	if err != nil {
		return nil, err
	}
	*out = fts5BuildOutput{Docs: n, TextBytes: textBytes, SizeBytes: size,
		ParseS: t1.Sub(t0).Seconds(), InsertS: t2.Sub(t1).Seconds(), OptimizeS: t3.Sub(t2).Seconds()}
	return out, nil
}

// renderAll renders posts to plain text on every core and hands each to
// emit from one goroutine at a time.
func renderAll(posts []*post.Post, emit func(fts5.Doc)) {
	r := render.New()
	jobs := make(chan *post.Post)
	results := make(chan fts5.Doc, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range jobs {
				d, err := r.Text(p.Body)
				if err != nil {
					continue
				}
				results <- fts5.Doc{Slug: p.Slug, Title: p.Title, Body: d.Text, Tags: strings.Join(p.Tags, " "),
					Date: p.Date.Format("2006-01-02"), Author: strings.Join(p.Authors, ", ")}
			}
		})
	}
	go func() {
		for _, p := range posts {
			jobs <- p
		}
		close(jobs)
		wg.Wait()
		close(results)
	}()
	for d := range results {
		emit(d)
	}
}
