package post

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
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
	r := &Result{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		return r.visit(fsys, opts, name, d, err)
	})
	if err != nil {
		return nil, fmt.Errorf("load posts: %w", err)
	}
	r.dropDuplicates()
	r.sort()
	return r, nil
}

func (r *Result) visit(fsys fs.FS, opts LoadOptions, name string, d fs.DirEntry, err error) error {
	switch {
	case name == ".":
		return err
	case err != nil:
		// A subdirectory that cannot be listed hides its posts; say so.
		r.Problems = append(r.Problems, readProblem(name, err))
		return nil
	case isIgnored(d.Name()) && d.IsDir():
		return fs.SkipDir
	case d.IsDir() || !IsPostFile(name):
		return nil
	}
	post, p := loadOne(fsys, name, opts)
	switch {
	case p != nil:
		r.Problems = append(r.Problems, p)
	case post.Draft && !opts.IncludeDrafts:
		r.Drafts = append(r.Drafts, name)
	default:
		r.Posts = append(r.Posts, post)
	}
	return nil
}

// dropDuplicates rejects every post whose slug is shared: picking a winner
// would silently hide a post, and the right fix depends on the author.
func (r *Result) dropDuplicates() {
	bySlug := map[string][]string{}
	for _, p := range r.Posts {
		bySlug[p.Slug] = append(bySlug[p.Slug], p.File)
	}
	kept := r.Posts[:0]
	for _, p := range r.Posts {
		files := bySlug[p.Slug]
		if len(files) == 1 {
			kept = append(kept, p)
			continue
		}
		r.Problems = append(r.Problems, duplicate(p, files))
	}
	clear(r.Posts[len(kept):])
	r.Posts = kept
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
