// Package importer turns posts from old sites into the archive's Markdown
// posts: plain-text pages (a date line, a title line, paragraphs, a
// signature), HTML pages, RSS 2.0 and Atom feed files, and WordPress
// exports (WXR). It keeps the text, dates, authors and tags, converts HTML
// to Markdown, and says what it could not map rather than dropping it
// silently. It writes nothing; the caller decides where posts go.
package importer

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/blust/archive/internal/post"
)

// Format is a kind of input file.
type Format string

// The formats Import reads.
const (
	Text Format = "text"
	HTML Format = "html"
	RSS  Format = "rss"
	Atom Format = "atom"
	WXR  Format = "wxr"
)

// Post is one imported post: its source and the slug for its file name.
type Post struct {
	Slug   string
	Source post.Source
	From   string // where in the input it came from, for messages
}

// Result is what one input file gave.
type Result struct {
	Format Format
	Posts  []Post
	Notes  []string // what could not be mapped, one sentence each
}

func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// Import reads one input file. name is used to detect the format (with
// the bytes) and for messages. It fails when the file is in no format it
// knows or cannot be parsed at all; problems with single items are notes.
func Import(name string, data []byte) (*Result, error) {
	f := Detect(name, data)
	var r *Result
	var err error
	switch f {
	case Text:
		r, err = importText(name, data)
	case HTML:
		r, err = importHTML(name, data)
	case RSS, WXR:
		r, err = importRSS(name, data, f)
	case Atom:
		r, err = importAtom(name, data)
	default:
		return nil, fmt.Errorf("%s: not a plain-text page, HTML page, RSS or Atom feed or WordPress export", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r.Format = f
	if len(r.Posts) == 0 && len(r.Notes) == 0 {
		r.note("no posts found")
	}
	return r, nil
}

// Detect guesses the format from the start of the data, then the name.
func Detect(name string, data []byte) Format {
	head := strings.ToLower(string(bytes.TrimLeft(bytes.TrimPrefix(data[:min(len(data), 4096)], []byte("\xef\xbb\xbf")), " \t\r\n")))
	switch {
	case strings.HasPrefix(head, "<?xml") || strings.HasPrefix(head, "<rss") || strings.HasPrefix(head, "<feed"):
		switch {
		case strings.Contains(head, "wordpress.org/export"):
			return WXR
		case strings.Contains(head, "<rss"):
			return RSS
		case strings.Contains(head, "<feed"):
			return Atom
		}
		return ""
	case strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<body"):
		return HTML
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm":
		return HTML
	case ".txt", ".text", "":
		return Text
	}
	return ""
}

// slugFor picks a post's slug: the one the old site used when known (a
// WordPress post name, the last element of its URL), else the title's.
func slugFor(oldSlug, link, title string) string {
	if s := post.Slugify(oldSlug); s != "" {
		return s
	}
	if link != "" {
		p := strings.TrimSuffix(urlPath(link), "/")
		base := strings.TrimSuffix(path.Base(p), path.Ext(p))
		if s := post.Slugify(base); s != "" && base != "index" && !isNumeric(base) {
			return s
		}
	}
	return post.Slugify(title)
}

func isNumeric(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
