package changes

import (
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/blust/archive/internal/post"
)

// ScanFiles is Scan limited to the given files. part is the piece of the
// old State they touch: the posts that were in those files, and the posts
// whose slugs they now claim. ok is false when a whole-folder scan is
// needed: a folder appeared or vanished, or a slug now clashes with a post
// in a file that was not touched.
func ScanFiles(fsys fs.FS, opts post.LoadOptions, old State, byFile map[string]string, files []string) (sc *Scanned, part State, ok bool) {
	touched := map[string]bool{}
	sc = &Scanned{}
	part = State{}
	var posts []*post.Post
	for _, f := range files {
		f = path.Clean(f)
		if touched[f] || !post.IsPostFile(f+"/x.md") {
			continue // seen, or inside a folder Load skips (.git, _drafts)
		}
		touched[f] = true
		if slug, known := byFile[f]; known {
			part[slug] = old[slug]
		}
		info, err := fs.Stat(fsys, f)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if _, known := byFile[f]; !known && hasFileUnder(byFile, f) {
				return nil, nil, false // a folder went away
			}
		case err == nil && info.IsDir():
			return nil, nil, false // a folder appeared: its posts need a walk
		case !post.IsPostFile(f):
			// an editor's temporary or backup file
		default:
			p, prob := loadFile(fsys, f, opts)
			switch {
			case prob != nil && errors.Is(prob, post.ErrNotPost):
				// a list page or redirect stub: not a post, not a problem
			case prob != nil:
				sc.Problems = append(sc.Problems, prob)
			case p.Draft && !opts.IncludeDrafts:
				sc.Drafts = append(sc.Drafts, f)
			default:
				posts = append(posts, p)
			}
		}
	}
	for _, p := range posts {
		d, ok := old[p.Slug]
		if ok && d.File != p.File && !touched[d.File] {
			return nil, nil, false // clashes with a post this change did not touch
		}
		if ok {
			part[p.Slug] = d
		}
	}
	if clash(posts) {
		return nil, nil, false // which post keeps the slug is decided over the whole folder
	}
	for _, p := range posts {
		sc.Entries = append(sc.Entries, Entry{Post: p, Parsed: true})
	}
	post.SortProblems(sc.Problems)
	return sc, part, true
}

// clash reports two posts that want one slug.
func clash(posts []*post.Post) bool {
	seen := make(map[string]bool, len(posts))
	for _, p := range posts {
		if seen[p.Slug] {
			return true
		}
		seen[p.Slug] = true
	}
	return false
}

func hasFileUnder(byFile map[string]string, dir string) bool {
	prefix := dir + "/"
	for f := range byFile {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}
