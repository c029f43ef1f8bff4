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

// syncDiff is what a sync will do to turn the old state into the new one.
type syncDiff struct {
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
func diff(old state, entries []entry) *syncDiff {
	sd := &syncDiff{desired: make(state, len(entries))}
	addedHash := map[string][]*post.Post{}
	for _, e := range entries {
		p := e.post
		sd.desired[p.Slug] = docState{File: p.File, Hash: p.Hash}
		o, ok := old[p.Slug]
		switch {
		case ok && o.File == p.File && o.Hash == p.Hash:
			sd.unchanged++
			continue
		case ok && o.Hash == p.Hash:
			sd.renamed = append(sd.renamed, Rename{From: p.Slug, To: p.Slug, File: p.File})
		case ok:
			sd.updated = append(sd.updated, p.Slug)
		default:
			addedHash[p.Hash] = append(addedHash[p.Hash], p)
		}
		sd.write = append(sd.write, p)
	}
	for _, slug := range slices.Sorted(maps.Keys(old)) {
		o := old[slug]
		if _, ok := sd.desired[slug]; ok {
			continue
		}
		sd.delete = append(sd.delete, slug)
		if ps := addedHash[o.Hash]; len(ps) > 0 {
			sd.renamed = append(sd.renamed, Rename{From: slug, To: ps[0].Slug, File: ps[0].File})
			addedHash[o.Hash] = ps[1:]
			continue
		}
		sd.removed = append(sd.removed, slug)
	}
	for _, ps := range addedHash {
		for _, p := range ps {
			sd.added = append(sd.added, p.Slug)
		}
	}
	sd.sort()
	return sd
}

// drop takes slug out of the diff after its document failed to render:
// it must then leave the index like any other rejected post.
func (sd *syncDiff) drop(slug string, old state) {
	delete(sd.desired, slug)
	sd.added = slices.DeleteFunc(sd.added, func(s string) bool { return s == slug })
	sd.updated = slices.DeleteFunc(sd.updated, func(s string) bool { return s == slug })
	sd.renamed = slices.DeleteFunc(sd.renamed, func(r Rename) bool {
		if r.To == slug && r.From != slug {
			sd.removed = append(sd.removed, r.From) // its old slug still goes
		}
		return r.To == slug
	})
	if _, ok := old[slug]; ok {
		sd.delete = append(sd.delete, slug)
		sd.removed = append(sd.removed, slug)
	}
	sd.sort()
}

func (sd *syncDiff) sort() {
	slices.Sort(sd.added)
	slices.Sort(sd.updated)
	slices.Sort(sd.removed)
	slices.Sort(sd.delete)
	sd.delete = slices.Compact(sd.delete)
	slices.SortFunc(sd.renamed, func(a, b Rename) int { return strings.Compare(a.To, b.To) })
}

// empty reports a diff that changes nothing.
func (sd *syncDiff) empty() bool { return len(sd.write) == 0 && len(sd.delete) == 0 }

// writeSlugs are the slugs of the posts the diff writes.
func (sd *syncDiff) writeSlugs() []string {
	out := make([]string, len(sd.write))
	for i, p := range sd.write {
		out[i] = p.Slug
	}
	return out
}
