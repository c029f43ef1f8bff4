package post

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Result is what Load found in a content folder.
type Result struct {
	Posts    []*Post    // accepted posts, sorted by Date descending then Slug
	Problems []*Problem // rejected files, sorted by File then Line; one per bad file
	Drafts   []string   // files skipped because draft: true
	// Pages are files skipped because they are not posts although they
	// look like one: no date anywhere and no text (a generator's list page
	// or redirect stub, such as Zola's template-only pages). Sorted.
	Pages []string
	// Warnings are what loading guessed or changed without rejecting a
	// post: every post's Warnings and each slug renamed to resolve a clash,
	// sorted by File then Line.
	Warnings []*Problem
}

// Load walks fsys recursively and parses every post file (see
// IsPostFile): *.md, *.markdown and *.mdx, page bundles' index files
// included. Names starting with "." or "_" (such as _index.md) are
// skipped, and so are their directories; a directory named x.md is walked
// like any other. A file that cannot be read, is not a regular file, is a
// symlink leading outside fsys, is too large or does not parse becomes a
// Problem. Posts that want the same slug all load: the later ones get a
// suffix and a warning (see ResolveClashes). Drafts are listed in Drafts
// unless opts.IncludeDrafts is set. One bad post never stops the others:
// the error is only for failing to walk the root itself.
func Load(fsys fs.FS, opts LoadOptions) (*Result, error) {
	files, problems, err := Files(fsys)
	if err != nil {
		return nil, err
	}
	r := &Result{Problems: problems}
	posts, probs := loadAll(fsys, files, opts.withAuthors(fsys))
	for i := range files {
		r.add(posts[i], probs[i], opts)
	}
	ResolveClashes(r.Posts) // its warnings are in the renamed posts' Warnings
	for _, p := range r.Posts {
		r.Warnings = append(r.Warnings, p.Warnings...)
	}
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
	case p != nil && errors.Is(p, ErrNotPost):
		r.Pages = append(r.Pages, p.File)
	case p != nil:
		r.Problems = append(r.Problems, p)
	case post.Draft && !opts.IncludeDrafts:
		r.Drafts = append(r.Drafts, post.File)
	default:
		r.Posts = append(r.Posts, post)
	}
}

// ResolveClashes gives every post a slug of its own, so no post is lost
// because another wants the same address. Among the posts that share a
// slug, the first by File (a stable order, the same in a full build and
// an incremental sync) keeps it; each later one gets the first free
// suffix -2, -3 … and a warning naming the post that has the slug, which
// is also added to its Warnings. Posts are changed in place; the returned
// warnings are in the order of posts.
func ResolveClashes(posts []*Post) []*Problem {
	taken := make(map[string]bool, len(posts))
	bySlug := map[string][]*Post{}
	for _, p := range posts {
		taken[p.Slug] = true
		bySlug[p.Slug] = append(bySlug[p.Slug], p)
	}
	var clashing []string
	for slug, group := range bySlug {
		if len(group) > 1 {
			clashing = append(clashing, slug)
		}
	}
	slices.Sort(clashing) // suffixes must not depend on map order
	renamed := map[*Post]*Problem{}
	for _, slug := range clashing {
		group := bySlug[slug]
		slices.SortFunc(group, func(a, b *Post) int { return strings.Compare(a.File, b.File) })
		n := 2
		for _, p := range group[1:] {
			var s string
			s, n = freeSlug(slug, n, taken)
			taken[s] = true
			p.Slug = s
			w := clashWarning(p, slug, group[0].File)
			p.Warnings = append(p.Warnings, w)
			renamed[p] = w
		}
	}
	var warnings []*Problem
	for _, p := range posts {
		if w, ok := renamed[p]; ok {
			warnings = append(warnings, w)
		}
	}
	return warnings
}

// freeSlug returns slug-n for the first n (from the one given) whose slug
// no post has, and the n to try next. The base is shortened so the result
// stays a valid slug.
func freeSlug(slug string, n int, taken map[string]bool) (string, int) {
	for ; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		s := strings.TrimRight(truncateSlug(slug, maxSlugLen-len(suffix)), "-") + suffix
		if !taken[s] {
			return s, n + 1
		}
	}
}

func clashWarning(p *Post, slug, holder string) *Problem {
	return &Problem{File: p.File, Field: "slug",
		Msg: fmt.Sprintf("slug %q is also wanted by %s, so this post is at %q", slug, holder, p.Slug),
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
	slices.Sort(r.Pages)
	SortProblems(r.Warnings)
}

// SortProblems orders problems by File then Line, keeping the order of
// problems of the same line.
func SortProblems(ps []*Problem) {
	slices.SortStableFunc(ps, func(a, b *Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}
