package changes

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sync"
	"time"

	"github.com/blust/archive/index/internal/filestat"
	"github.com/blust/archive/internal/post"
)

// entry is one accepted post as a sync sees it. A post the index already
// holds unchanged is not parsed again: only Slug, File and Hash are set
// and parsed is false.
type Entry struct {
	Post   *post.Post
	Parsed bool
}

// scanned is the content folder compared with what the index holds.
type Scanned struct {
	Entries  []Entry
	Problems []*post.Problem
	Drafts   []string
}

// Scan lists the content folder and parses only what changed: a file the
// stat cache vouches for, whose hash matches the indexed document of the
// same file, is taken as unchanged without reading it. With known nil
// every file is parsed (a full build).
func Scan(ctx context.Context, fsys fs.FS, opts post.LoadOptions, known State, cache *filestat.Cache) (*Scanned, error) {
	files, problems, err := post.Files(fsys)
	if err != nil {
		return nil, err
	}
	if opts.Authors == nil {
		opts.Authors = post.ReadAuthors(fsys, ".") // once, not once per post
	}
	byFile := known.ByFile()
	results := make([]scanResult, len(files))
	err = forEach(ctx, len(files), func(i int) {
		results[i] = scanOne(fsys, files[i], opts, known, byFile, cache)
	})
	if err != nil {
		return nil, err
	}
	sc := &Scanned{Problems: problems}
	var posts []*post.Post
	parsed := map[*post.Post]bool{}
	now := time.Now()
	for i, r := range results {
		switch {
		case r.problem != nil && errors.Is(r.problem, post.ErrNotPost):
			// a list page or redirect stub: not a post, not a problem
		case r.problem != nil:
			sc.Problems = append(sc.Problems, r.problem)
		case r.post.Draft && !opts.IncludeDrafts:
			sc.Drafts = append(sc.Drafts, files[i])
		default:
			posts = append(posts, r.post)
			parsed[r.post] = r.parsed
		}
		if r.info != nil && r.post != nil {
			cache.Remember(files[i], r.info, r.post.Hash, now)
		}
	}
	for _, p := range resolveClashes(fsys, posts, parsed, opts) {
		sc.Entries = append(sc.Entries, Entry{Post: p, Parsed: parsed[p]})
	}
	post.SortProblems(sc.Problems)
	return sc, nil
}

// resolveClashes gives posts that want one slug their own (see
// post.ResolveClashes). A post the index holds unchanged carries only its
// slug; if it is the one renamed, it is parsed after all, so it can be
// written under its new slug. A post that then fails to load is dropped
// (the next scan reports it).
func resolveClashes(fsys fs.FS, posts []*post.Post, parsed map[*post.Post]bool, opts post.LoadOptions) []*post.Post {
	before := make([]string, len(posts))
	for i, p := range posts {
		before[i] = p.Slug
	}
	post.ResolveClashes(posts)
	kept := posts[:0]
	for i, p := range posts {
		if p.Slug != before[i] && !parsed[p] {
			full, prob := loadFile(fsys, p.File, opts)
			if prob != nil {
				continue
			}
			full.Slug, full.Warnings = p.Slug, append(full.Warnings, p.Warnings...)
			parsed[full] = true
			p = full
		}
		kept = append(kept, p)
	}
	return kept
}

type scanResult struct {
	post    *post.Post
	parsed  bool
	problem *post.Problem
	info    fs.FileInfo // the stat taken before reading, for the cache
}

func scanOne(fsys fs.FS, file string, opts post.LoadOptions, known State, byFile map[string]string, cache *filestat.Cache) scanResult {
	info, err := fs.Stat(fsys, file)
	if err != nil {
		info = nil // LoadFile reports the problem in its own words
	}
	if slug, ok := byFile[file]; ok && info != nil {
		if h, hit := cache.Lookup(file, info); hit && h == known[slug].Hash {
			return scanResult{post: &post.Post{Slug: slug, File: file, Hash: h}, info: info}
		}
	}
	p, prob := loadFile(fsys, file, opts)
	if prob != nil {
		return scanResult{problem: prob}
	}
	return scanResult{post: p, parsed: true, info: info}
}

// loadFile is post.LoadFile with the problem typed.
func loadFile(fsys fs.FS, file string, opts post.LoadOptions) (*post.Post, *post.Problem) {
	p, err := post.LoadFile(fsys, file, opts)
	if err == nil {
		return p, nil
	}
	var prob *post.Problem
	if !errors.As(err, &prob) {
		prob = &post.Problem{File: file, Msg: err.Error()}
	}
	return nil, prob
}

// forEach runs fn(0..n-1) on every core and stops early when ctx ends.
func forEach(ctx context.Context, n int, fn func(i int)) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = fmt.Errorf("scan cancelled: %w", ctx.Err())
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}
