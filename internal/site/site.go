// Package site reads the archive's own identity: its title, description,
// language, public address, default author, navigation links, footer and
// licence line. Nothing else in the program names the site or its topics,
// so an archive of any blog says only what its own files say.
//
// The identity comes from the content folder's site.yaml and, where the
// blog brought its generator's configuration along (Hugo, Jekyll, Zola,
// Hexo, Docusaurus, Pelican), from that file too; site.yaml wins field by
// field. Without either, the archive calls itself "Archive" and describes
// nothing.
package site

import (
	"fmt"
	"strings"
)

// File is the name of the archive's own identity file, looked for in the
// content folder and in its site root.
const File = "site.yaml"

// DefaultTitle names an archive whose files do not: a plain word, so a
// blog brought without a site.yaml is never shown under another's name.
const DefaultTitle = "Archive"

// Site is the archive's identity. Every field is plain text; pages escape
// it where they show it.
type Site struct {
	Title       string
	Description string // one sentence on what the posts are about; "" says nothing
	Language    string // BCP 47 tag of the posts' language, "en" by default
	// BaseURL is the archive's public address (https://archive.example.org),
	// from site.yaml only: a generator's baseURL is the old site's address,
	// and feeds pointing there would lead readers to pages that may be gone.
	BaseURL string
	Author  string // the default author of new posts and of feed entries without one
	Nav     []Link // links added to every page's navigation
	Footer  string // a line at the foot of every page; [text](url) links allowed
	License string // the licence line; [text](url) links allowed
	// Values are the config's scalar values by the key a post's templates
	// write ({{ site.repository }}, {{% param author %}}): the generator
	// config's keys, nested ones dotted, Hugo params and Zola extra also
	// by bare name, then site.yaml's own fields; see values.go for the
	// bounds (1,000 keys, 4 KB a value). Plain text, like every field.
	Values map[string]string
	// Sources are the files the identity was read from, in the order
	// applied, for the start-up log; empty for the defaults.
	Sources []string
	// Warnings are generator configurations that could not be read; the
	// archive still starts (the file belongs to another program), but says so.
	Warnings []string
}

// Link is one navigation link.
type Link struct {
	Title string
	URL   string // absolute http(s) URL or a path on the archive ("/tags")
}

// Default is the identity of an archive whose files give none.
func Default() Site {
	return Site{Title: DefaultTitle, Language: "en"}
}

// Error is a problem in a site file, named by file and line like a
// compiler message.
type Error struct {
	File string
	Line int // 1-based; 0 when no line applies
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Limits keep a hostile or mistaken file from making every page huge.
const (
	maxFileBytes = 1 << 20
	maxText      = 2000 // characters of any one text field
	maxNav       = 20
)

// overlay sets every non-empty field of o on s.
func (s *Site) overlay(o Site) {
	set := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	set(&s.Title, o.Title)
	set(&s.Description, o.Description)
	set(&s.Language, o.Language)
	set(&s.BaseURL, o.BaseURL)
	set(&s.Author, o.Author)
	set(&s.Footer, o.Footer)
	set(&s.License, o.License)
	if len(o.Nav) > 0 {
		s.Nav = o.Nav
	}
	s.mergeValues(o.Values)
}
