// Package feed writes Atom 1.0 and RSS 2.0 feeds. Everything in a feed is
// written through encoding/xml, so titles and HTML content from posts are
// escaped as text and can never become markup in the feed document itself;
// characters XML cannot hold are replaced.
package feed

import (
	"time"
)

// Feed is one feed: the archive, a tag or a search.
type Feed struct {
	Title    string
	Subtitle string
	Link     string // absolute URL of the HTML page the feed mirrors
	Self     string // absolute URL of the feed itself
	ID       string // stable id; Self if empty
	Updated  time.Time
	Author   string // the feed's author when entries have none
	Language string // BCP 47 tag of the entries' language; "" leaves it out
	Entries  []Entry
}

// Entry is one post in a feed.
type Entry struct {
	Title      string
	Link       string // absolute URL of the post
	ID         string // stable id; Link if empty
	Published  time.Time
	Updated    time.Time // Published if zero
	Authors    []string
	Categories []string
	Summary    string // plain text
	Content    string // HTML (sanitised by the caller); sent escaped, as Atom's type="html" and RSS require
}

func (e Entry) id() string {
	if e.ID != "" {
		return e.ID
	}
	return e.Link
}

func (e Entry) updated() time.Time {
	if e.Updated.IsZero() {
		return e.Published
	}
	return e.Updated
}

// LastUpdated is the newest date among the entries, for Feed.Updated; the
// zero time for no entries.
func LastUpdated(entries []Entry) time.Time {
	var t time.Time
	for _, e := range entries {
		if u := e.updated(); u.After(t) {
			t = u
		}
	}
	return t
}
