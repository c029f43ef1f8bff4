package index

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/blust/archive/internal/post"
)

// syncFiles applies what happened to the named files, slash-separated
// paths inside the content folder, as a watcher reports them: each may
// have been created, edited, renamed away or deleted. Only those files are
// read, so one saved edit is applied in milliseconds however large the
// archive. When a change cannot be judged file by file (a folder appeared
// or vanished, a slug now clashes with another post's, or the last scan
// found clashing slugs that this change may resolve) it syncs the whole
// folder instead, which gives the same result. The caller must hold the
// store's writer lock.
func (ix *Index) syncFiles(ctx context.Context, opts SyncOptions, files []string) (*SyncReport, error) {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	opts = opts.withDefaults()
	start := time.Now()
	old, err := ix.state(ctx)
	if err != nil {
		return nil, err
	}
	sc, part, ok := scanFiles(opts, old, ix.byFile, files)
	if !ok || ix.clashes {
		return ix.syncAll(ctx, opts)
	}
	rep, err := ix.apply(ctx, diff(part, sc.entries), part, false, sc, opts)
	if err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// scanFiles is scan limited to the given files. part is the piece of the
// old state they touch: the posts that were in those files, and the posts
// whose slugs they now claim. ok is false when a whole-folder scan is
// needed: a folder appeared or vanished, or a slug now clashes with a post
// in a file that was not touched.
func scanFiles(opts SyncOptions, old state, byFile map[string]string, files []string) (sc *scanned, part state, ok bool) {
	touched := map[string]bool{}
	sc = &scanned{}
	part = state{}
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
		info, err := fs.Stat(opts.Content, f)
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
			p, prob := loadFile(opts.Content, f, opts.Load)
			switch {
			case prob != nil && errors.Is(prob, post.ErrNotPost):
				// a list page or redirect stub: not a post, not a problem
			case prob != nil:
				sc.problems = append(sc.problems, prob)
			case p.Draft && !opts.Load.IncludeDrafts:
				sc.drafts = append(sc.drafts, f)
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
		sc.entries = append(sc.entries, entry{post: p, parsed: true})
	}
	post.SortProblems(sc.problems)
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
