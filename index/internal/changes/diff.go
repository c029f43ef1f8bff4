package changes

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

// Diff is what a sync will do to turn the old State into the new one.
type Diff struct {
	Write   []*post.Post // posts to (re)index: added, updated, renamed
	Delete  []string     // slugs to remove
	Desired State        // the state once applied

	Added, Updated, Removed []string // slugs
	Renamed                 []Rename
	Unchanged               int
}

// Compare compares what the index holds with what the folder holds. A post
// whose bytes reappear under another slug or file counts as renamed, not as
// one removal plus one addition.
func Compare(old State, entries []Entry) *Diff {
	sd := &Diff{Desired: make(State, len(entries))}
	addedHash := map[string][]*post.Post{}
	for _, e := range entries {
		p := e.Post
		sd.Desired[p.Slug] = DocState{File: p.File, Hash: p.Hash}
		o, ok := old[p.Slug]
		switch {
		case ok && o.File == p.File && o.Hash == p.Hash:
			sd.Unchanged++
			continue
		case ok && o.Hash == p.Hash:
			sd.Renamed = append(sd.Renamed, Rename{From: p.Slug, To: p.Slug, File: p.File})
		case ok:
			sd.Updated = append(sd.Updated, p.Slug)
		default:
			addedHash[p.Hash] = append(addedHash[p.Hash], p)
		}
		sd.Write = append(sd.Write, p)
	}
	for _, slug := range slices.Sorted(maps.Keys(old)) {
		o := old[slug]
		if _, ok := sd.Desired[slug]; ok {
			continue
		}
		sd.Delete = append(sd.Delete, slug)
		if ps := addedHash[o.Hash]; len(ps) > 0 {
			sd.Renamed = append(sd.Renamed, Rename{From: slug, To: ps[0].Slug, File: ps[0].File})
			addedHash[o.Hash] = ps[1:]
			continue
		}
		sd.Removed = append(sd.Removed, slug)
	}
	for _, ps := range addedHash {
		for _, p := range ps {
			sd.Added = append(sd.Added, p.Slug)
		}
	}
	sd.sort()
	return sd
}

// Drop takes slug out of the diff after its document failed to render:
// it must then leave the index like any other rejected post.
func (sd *Diff) Drop(slug string, old State) {
	delete(sd.Desired, slug)
	sd.Added = slices.DeleteFunc(sd.Added, func(s string) bool { return s == slug })
	sd.Updated = slices.DeleteFunc(sd.Updated, func(s string) bool { return s == slug })
	sd.Renamed = slices.DeleteFunc(sd.Renamed, func(r Rename) bool {
		if r.To == slug && r.From != slug {
			sd.Removed = append(sd.Removed, r.From) // its old slug still goes
		}
		return r.To == slug
	})
	if _, ok := old[slug]; ok {
		sd.Delete = append(sd.Delete, slug)
		sd.Removed = append(sd.Removed, slug)
	}
	sd.sort()
}

func (sd *Diff) sort() {
	slices.Sort(sd.Added)
	slices.Sort(sd.Updated)
	slices.Sort(sd.Removed)
	slices.Sort(sd.Delete)
	sd.Delete = slices.Compact(sd.Delete)
	slices.SortFunc(sd.Renamed, func(a, b Rename) int { return strings.Compare(a.To, b.To) })
}

// Empty reports a diff that changes nothing.
func (sd *Diff) Empty() bool { return len(sd.Write) == 0 && len(sd.Delete) == 0 }

// WriteSlugs are the slugs of the posts the diff writes.
func (sd *Diff) WriteSlugs() []string {
	out := make([]string, len(sd.Write))
	for i, p := range sd.Write {
		out[i] = p.Slug
	}
	return out
}
