// Package post reads the archive's content: Markdown files with YAML (or
// TOML) front matter become typed [Post] values.
//
// Real archives are messy, so parsing accepts what a reasonable editor meant
// (unpadded dates, null fields, tags written as one string, author slugs,
// CRLF line endings, a byte-order mark) and rejects what is truly broken with
// a [Problem] that names the file, the line and the fix. [Load] walks a whole
// content folder and never lets one bad post stop the others.
package post

import (
	"strings"
	"time"
)

// Post is one parsed blog post. Every accepted Post has a valid Slug, a
// non-empty Title and a non-zero Date.
type Post struct {
	// Slug is the URL id: lowercase [a-z0-9-]. It is front matter `slug`,
	// else the file's base name (a page bundle's folder name for
	// name/index.md) without a leading YYYY-MM-DD- date, slugified. Load
	// adds -2, -3 … to a slug another post already has (see
	// ResolveClashes).
	Slug string
	File string // path inside the fs.FS, slash-separated, e.g. "ipfs/hello.md"
	// Title is trimmed and never empty: front matter `title`, else the
	// body's first "# heading", else the post's name in words.
	Title string
	// Date is the publication date as the author wrote it: the wall-clock
	// date and time in UTC's location, with any written offset or zone
	// dropped (2016-05-18 21:35:27 -0700 is 18 May, 21:35), so the calendar
	// day is the author's everywhere. Date-only values are midnight. It
	// comes from front matter (date, pubDate, publishDate, published,
	// created), else the file or bundle name (2019-11-07-x.md), else
	// YYYY/MM/DD folders in the path.
	Date    time.Time
	Updated time.Time // from `lastmod`/`updated`, wall clock like Date; zero if absent
	Authors []string  // display names (ids resolved through the authors file), never empty strings; nil if none
	// Tags are trimmed, lowercased, single-spaced, de-duplicated, order
	// kept: `tags`, then `categories`, `category`, `keywords` and Zola
	// `[taxonomies]`.
	Tags    []string
	Summary string // front matter `summary`, `description`, `excerpt` or `ogSummary`, trimmed; "" if none
	Draft   bool   // draft: true, or published: false
	// Aliases are the post's old addresses as written, for redirects:
	// `aliases`, `redirect_from`, then `permalink`, `url` and `path`.
	Aliases   []string
	Canonical string // `canonicalUrl` / `canonical_url` / `canonical`; "" if none
	// ExternalURL is where a link post points (`externalUrl`,
	// `external_url` or `link`); its text is indexed like any post's.
	// "" for an ordinary post.
	ExternalURL string
	// Warnings are what loading had to guess or ignore without rejecting
	// the post (a malformed date replaced by the file name's, a renamed
	// slug, an optional field of the wrong shape); `archive check` shows
	// them. nil if none.
	Warnings []*Problem
	Body     []byte // Markdown after the front matter, LF line endings, no BOM
	BodyLine int    // 1-based line of the file where Body starts
	Hash     string // hex sha256 of the raw file bytes
	Size     int64  // raw file size in bytes
}

// Author returns the authors joined with ", ", or "" if there are none.
func (p *Post) Author() string {
	return strings.Join(p.Authors, ", ")
}
