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
	Slug      string    // URL id: lowercase [a-z0-9-]; front matter `slug`, else the slugified file base name
	File      string    // path inside the fs.FS, slash-separated, e.g. "ipfs/hello.md"
	Title     string    // trimmed, never empty
	Date      time.Time // publication date in UTC; date-only values are midnight UTC
	Updated   time.Time // from `lastmod`/`updated`; zero if absent
	Authors   []string  // display names, never empty strings; nil if none
	Tags      []string  // trimmed, lowercased, single-spaced, de-duplicated, order kept; `categories` follow `tags`
	Summary   string    // front matter `summary` or `description`, trimmed; "" if none
	Draft     bool      // draft: true
	Aliases   []string  // old URLs: `aliases` plus `permalink`
	Canonical string    // `canonicalUrl` / `canonical_url` / `canonical`; "" if none
	Body      []byte    // Markdown after the front matter, LF line endings, no BOM
	BodyLine  int       // 1-based line of the file where Body starts
	Hash      string    // hex sha256 of the raw file bytes
	Size      int64     // raw file size in bytes
}

// Author returns the authors joined with ", ", or "" if there are none.
func (p *Post) Author() string {
	return strings.Join(p.Authors, ", ")
}
