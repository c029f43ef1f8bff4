package post

import (
	"cmp"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Result is what Load found in a content folder.
type Result struct {
	Posts    []*Post    // accepted posts, sorted by Date descending then Slug
	Problems []*Problem // rejected files, sorted by File then Line; one per bad file
	Drafts   []string   // files skipped because draft: true
}

// Load walks fsys recursively and parses every *.md and *.markdown file.
// Names starting with "." or "_" (such as _index.md) are skipped, and so
// are their directories; a directory named x.md is walked like any other.
// A file that cannot be read, is not a regular file, is a symlink leading
// outside fsys, is too large or does not parse becomes a Problem, as does
// every file sharing its slug with another. Drafts are listed in Drafts
// unless opts.IncludeDrafts is set. One bad post never stops the others:
// the error is only for failing to walk the root itself.
func Load(fsys fs.FS, opts LoadOptions) (*Result, error) {
	files, problems, err := Files(fsys)
	if err != nil {
		return nil, err
	}
	r := &Result{Problems: problems}
	posts, probs := loadAll(fsys, files, opts)
	for i := range files {
		r.add(posts[i], probs[i], opts)
	}
	r.dropDuplicates()
	r.sort()
	return r, nil
}

// loadAll parses files on every core: reading and YAML decoding dominate
// a large folder's load time. Results keep the order of files.
func loadAll(fsys fs.FS, files []string, opts LoadOptions) ([]*Post, []*Problem) {
	posts := make([]*Post, len(files))
	probs := make([]*Problem, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range next {
				posts[i], probs[i] = loadOne(fsys, files[i], opts)
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return posts, probs
}

// add files one loaded file as a post, a draft or a problem.
func (r *Result) add(post *Post, p *Problem, opts LoadOptions) {
	switch {
	case p != nil:
		r.Problems = append(r.Problems, p)
	case post.Draft && !opts.IncludeDrafts:
		r.Drafts = append(r.Drafts, post.File)
	default:
		r.Posts = append(r.Posts, post)
	}
}

// dropDuplicates rejects every post whose slug is shared: picking a winner
// would silently hide a post, and the right fix depends on the author.
func (r *Result) dropDuplicates() {
	var dups []*Problem
	r.Posts, dups = RejectDuplicates(r.Posts)
	r.Problems = append(r.Problems, dups...)
}

// RejectDuplicates keeps the posts whose slug no other post has and
// returns a Problem for each of the others, naming the files it clashes
// with. It reuses the posts slice. Load applies it; the incremental updater
// applies it to a mix of parsed posts and posts it knows unchanged.
func RejectDuplicates(posts []*Post) (kept []*Post, problems []*Problem) {
	bySlug := map[string][]string{}
	for _, p := range posts {
		bySlug[p.Slug] = append(bySlug[p.Slug], p.File)
	}
	kept = posts[:0]
	for _, p := range posts {
		files := bySlug[p.Slug]
		if len(files) == 1 {
			kept = append(kept, p)
			continue
		}
		problems = append(problems, duplicate(p, files))
	}
	clear(posts[len(kept):])
	return kept, problems
}

func duplicate(p *Post, files []string) *Problem {
	others := slices.DeleteFunc(slices.Clone(files), func(f string) bool { return f == p.File })
	return &Problem{File: p.File, Field: "slug",
		Msg: fmt.Sprintf("slug %q is also used by %s", p.Slug, strings.Join(others, ", ")),
		Fix: "give each post its own slug: rename a file or set slug: in its front matter"}
}

func (r *Result) sort() {
	slices.SortFunc(r.Posts, func(a, b *Post) int {
		return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.Slug, b.Slug))
	})
	slices.SortFunc(r.Problems, func(a, b *Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	slices.Sort(r.Drafts)
}
