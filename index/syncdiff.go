package index

import (
	"maps"
	"slices"
	"strings"

	"github.com/blust/archive/internal/post"
)

// Rename is a post whose bytes moved to another file or slug.
type Rename struct {
	From string `json:"from"` // old slug
	To   string `json:"to"`   // new slug (the same when only the file moved)
	File string `json:"file"` // the new file
}

// plan is what a sync will do to turn the old state into the new one.
type plan struct {
	write   []*post.Post // posts to (re)index: added, updated, renamed
	delete  []string     // slugs to remove
	desired state        // the state once applied

	added, updated, removed []string // slugs
	renamed                 []Rename
	unchanged               int
}

// diff compares what the index holds with what the folder holds. A post
// whose bytes reappear under another slug or file counts as renamed, not as
// one removal plus one addition.
func diff(old state, entries []entry) *plan {
	pl := &plan{desired: make(state, len(entries))}
	addedHash := map[string][]*post.Post{}
	for _, e := range entries {
		p := e.post
		pl.desired[p.Slug] = docState{File: p.File, Hash: p.Hash}
		o, ok := old[p.Slug]
		switch {
		case ok && o.File == p.File && o.Hash == p.Hash:
			pl.unchanged++
			continue
		case ok && o.Hash == p.Hash:
			pl.renamed = append(pl.renamed, Rename{From: p.Slug, To: p.Slug, File: p.File})
		case ok:
			pl.updated = append(pl.updated, p.Slug)
		default:
			addedHash[p.Hash] = append(addedHash[p.Hash], p)
		}
		pl.write = append(pl.write, p)
	}
	for _, slug := range slices.Sorted(maps.Keys(old)) {
		o := old[slug]
		if _, ok := pl.desired[slug]; ok {
			continue
		}
		pl.delete = append(pl.delete, slug)
		if ps := addedHash[o.Hash]; len(ps) > 0 {
			pl.renamed = append(pl.renamed, Rename{From: slug, To: ps[0].Slug, File: ps[0].File})
			addedHash[o.Hash] = ps[1:]
			continue
		}
		pl.removed = append(pl.removed, slug)
	}
	for _, ps := range addedHash {
		for _, p := range ps {
			pl.added = append(pl.added, p.Slug)
		}
	}
	pl.sort()
	return pl
}

// drop takes slug out of the plan after its document failed to render:
// it must then leave the index like any other rejected post.
func (pl *plan) drop(slug string, old state) {
	delete(pl.desired, slug)
	pl.added = slices.DeleteFunc(pl.added, func(s string) bool { return s == slug })
	pl.updated = slices.DeleteFunc(pl.updated, func(s string) bool { return s == slug })
	pl.renamed = slices.DeleteFunc(pl.renamed, func(r Rename) bool {
		if r.To == slug && r.From != slug {
			pl.removed = append(pl.removed, r.From) // its old slug still goes
		}
		return r.To == slug
	})
	if _, ok := old[slug]; ok {
		pl.delete = append(pl.delete, slug)
		pl.removed = append(pl.removed, slug)
	}
	pl.sort()
}

func (pl *plan) sort() {
	slices.Sort(pl.added)
	slices.Sort(pl.updated)
	slices.Sort(pl.removed)
	slices.Sort(pl.delete)
	pl.delete = slices.Compact(pl.delete)
	slices.SortFunc(pl.renamed, func(a, b Rename) int { return strings.Compare(a.To, b.To) })
}

// empty reports a plan that changes nothing.
func (pl *plan) empty() bool { return len(pl.write) == 0 && len(pl.delete) == 0 }

// writeSlugs are the slugs of the posts the plan writes.
func (pl *plan) writeSlugs() []string {
	out := make([]string, len(pl.write))
	for i, p := range pl.write {
		out[i] = p.Slug
	}
	return out
}
