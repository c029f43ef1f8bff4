package post

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const bom = "\uFEFF"

// Parse parses one file's bytes into a Post. file, the slash-separated
// path inside the posts folder, names the file in messages and gives the
// slug and the date when the front matter sets none. Parse fails with a
// *Problem when the file is empty, binary or not UTF-8, has broken front
// matter, or has no date anywhere. Author ids stay as written (Load
// resolves them through the blog's authors file).
func Parse(file string, data []byte) (*Post, error) {
	post, p := parse(file, data, nil)
	if p != nil {
		return nil, p
	}
	return post, nil
}

// parse returns *Problem rather than error so that a nil problem can never
// become a non-nil error interface by accident.
func parse(file string, data []byte, authors *Authors) (*Post, *Problem) {
	if p := checkText(file, data); p != nil {
		return nil, p
	}
	b, p := split(file, cleanText(data))
	if p != nil {
		return nil, p
	}
	root, p := b.root(file)
	if p != nil {
		return nil, p
	}
	fm, p := decodeFrontMatter(file, root)
	if p != nil {
		return nil, p
	}
	post, p := fm.post(file, b.body, authors)
	if p != nil {
		return nil, p
	}
	post.Body, post.BodyLine = b.body, b.bodyLine
	sum := sha256.Sum256(data)
	post.Hash, post.Size = hex.EncodeToString(sum[:]), int64(len(data))
	return post, nil
}

// checkText rejects files that are not text at all before any parsing.
func checkText(file string, data []byte) *Problem {
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte(bom)))) == 0 {
		return &Problem{File: file, Msg: "file is empty",
			Fix: "add a --- block with title and date, then the post, or delete the file"}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return &Problem{File: file, Msg: "file is binary (it contains NUL bytes)",
			Fix: "keep only Markdown text in .md files"}
	}
	if bad := invalidUTF8(data); bad >= 0 {
		return &Problem{File: file, Line: lineOf(data, bad),
			Msg: fmt.Sprintf("text is not valid UTF-8 (byte 0x%02x)", data[bad]),
			Fix: "save the file as UTF-8"}
	}
	return nil
}

// invalidUTF8 returns the offset of the first byte that is not valid
// UTF-8, or -1.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func lineOf(data []byte, offset int) int {
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// cleanText drops a byte-order mark and turns CRLF into LF. Line numbers
// are unchanged, and the copy keeps Body from aliasing the caller's buffer.
func cleanText(data []byte) []byte {
	return bytes.ReplaceAll(bytes.TrimPrefix(data, []byte(bom)), []byte("\r\n"), []byte("\n"))
}

// post checks the decoded front matter and builds the Post from it, with
// the body for the title's fallback.
func (fm *frontMatter) post(file string, body []byte, authors *Authors) (*Post, *Problem) {
	taxAuthors, taxTags := fm.Taxonomies.split()
	p := &Post{
		File:        file,
		Title:       strings.Join(strings.Fields(string(fm.Title)), " "),
		Summary:     firstNonEmpty(fm.Summary, fm.Description, fm.Excerpt, fm.OGSummary),
		Canonical:   firstNonEmpty(fm.CanonicalURL, fm.CanonicalSnake, fm.Canon),
		ExternalURL: firstNonEmpty(fm.ExternalURL, fm.ExternalSnake, fm.Link),
		Draft:       bool(fm.Draft) || isFalse(fm.Published),
		Authors:     authors.names(fm.Author, fm.Authors, fm.By, taxAuthors),
		Tags:        normalizeTags(fm.Tags, list(fm.Categories), fm.Category, fm.Keywords, taxTags),
		Aliases: unique(slices.Concat(fm.Aliases, fm.RedirectFrom,
			[]string{string(fm.Permalink), string(fm.URL), string(fm.Path)})),
	}
	var prob *Problem
	if p.Date, prob = fm.pubDate(file); prob != nil {
		if _, written := fm.lines[prob.Field]; !written && (blank(body) || fm.isPage()) {
			prob.Msg, prob.err = "not a post: no date anywhere and no text (a list page or redirect stub)", ErrNotPost
		}
		return nil, prob
	}
	p.Updated = fm.updated(file)
	if p.Slug, prob = fm.slug(file); prob != nil {
		return nil, prob
	}
	p.Warnings = fm.warnings
	if p.Title == "" {
		p.Title = fallbackTitle(body, file)
		if _, written := fm.lines["title"]; written {
			w := fm.missing(file, "title", "add the post's title after title:")
			w.Msg += fmt.Sprintf("; using %q", p.Title)
			p.Warnings = append(p.Warnings, w)
		}
	}
	return p, nil
}

// isPage reports front matter that marks a site page rather than a post:
// a redirect, a page template (Zola, the Go blog's template: true index),
// or a page layout or type (Jekyll, Hugo). It only matters for a file with
// no date anywhere, which would otherwise be rejected.
func (fm *frontMatter) isPage() bool {
	if fm.Redirect != "" || fm.Template != "" {
		return true
	}
	for _, v := range []text{fm.Layout, fm.Type} {
		switch strings.ToLower(string(v)) {
		case "page", "home", "default", "list", "archive", "archives", "index", "tags", "categories", "search", "redirect":
			return true
		}
	}
	return false
}

// blank reports a body with nothing but white space and HTML comments.
func blank(body []byte) bool {
	s := string(body)
	for {
		start := strings.Index(s, "<!--")
		if start < 0 {
			break
		}
		end := strings.Index(s[start:], "-->")
		if end < 0 {
			break
		}
		s = s[:start] + s[start+end+3:]
	}
	return strings.TrimSpace(s) == ""
}

// isFalse reports a `published: false` (Jekyll's way of writing a draft).
func isFalse(v text) bool {
	switch strings.ToLower(string(v)) {
	case "false", "no", "off":
		return true
	}
	return false
}

// fallbackTitle is the title of a post whose front matter has none: its
// first "# heading" before any code, else its name in words.
func fallbackTitle(body []byte, file string) string {
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") {
			break
		}
		if h, ok := strings.CutPrefix(line, "# "); ok && strings.TrimSpace(h) != "" {
			return strings.Join(strings.Fields(strings.TrimRight(h, "# ")), " ")
		}
	}
	words := strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(stripNameDate(postName(file))))
	if len(words) == 0 {
		return postName(file)
	}
	r, size := utf8.DecodeRuneInString(words[0])
	words[0] = string(unicode.ToUpper(r)) + words[0][size:]
	return strings.Join(words, " ")
}

// missing reports an absent or empty required field, at its key if it was
// written and at the opening delimiter if not.
func (fm *frontMatter) missing(file, key, fix string) *Problem {
	msg := "front matter has no " + key
	if _, present := fm.lines[key]; present {
		msg = key + " is empty"
	}
	return &Problem{File: file, Line: fm.line(key), Field: key, Msg: msg, Fix: fix}
}

// date parses one date field; an empty value gives the zero time.
func (fm *frontMatter) date(file, key string, v text) (time.Time, *Problem) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := parseDate(string(v))
	if err != nil {
		return time.Time{}, &Problem{File: file, Line: fm.line(key), Field: key,
			Msg: fmt.Sprintf("%s %q is %v", key, string(v), err),
			Fix: "write the date as YYYY-MM-DD, or as 2006-01-02T15:04:05Z07:00 with a time"}
	}
	if t.Year() < MinYear || t.Year() > MaxYear {
		return time.Time{}, &Problem{File: file, Line: fm.line(key), Field: key,
			Msg: fmt.Sprintf("%s %q is outside the years %d–%d that the index can store", key, string(v), MinYear, MaxYear),
			Fix: "check the year"}
	}
	return t, nil
}

// dateKey returns the first publication-date key that is set, and its
// value. `published` counts only when it is not a true/false flag.
func (fm *frontMatter) dateKey() (string, text) {
	for _, kv := range []struct {
		key string
		v   text
	}{{"date", fm.Date}, {"pubdate", fm.PubDate}, {"publishdate", fm.PublishDate}, {"published", fm.Published}, {"created", fm.Created}} {
		if kv.v == "" || (kv.key == "published" && isFlag(kv.v)) {
			continue
		}
		return kv.key, kv.v
	}
	return "date", ""
}

func isFlag(v text) bool {
	switch strings.ToLower(string(v)) {
	case "true", "false", "yes", "no", "on", "off":
		return true
	}
	return false
}

// pubDate finds the publication date where the generators keep it: the
// front matter, else the file or bundle folder name (2019-11-07-slug.md),
// else year/month/day folders in the path or in a front-matter path. A
// front-matter date that does not parse gives way to a date in the name
// or path, with a warning; with none there, it rejects the post.
func (fm *frontMatter) pubDate(file string) (time.Time, *Problem) {
	key, v := fm.dateKey()
	t, prob := fm.date(file, key, v)
	if prob == nil && !t.IsZero() {
		return t, nil
	}
	fallback, where, ok := fm.placeDate(file)
	switch {
	case ok && prob != nil:
		prob.Msg += fmt.Sprintf("; using the date in the %s, %s", where, fallback.Format("2006-01-02"))
		fm.warnings = append(fm.warnings, prob)
		return fallback, nil
	case ok:
		return fallback, nil
	case prob != nil:
		return time.Time{}, prob
	}
	msg := "no date: the front matter has no date (date, pubDate, publishDate, published, created), the file name does not start with YYYY-MM-DD-, and the path has no YYYY/MM/DD folders"
	if _, written := fm.lines[key]; written {
		msg = key + " is empty, the file name does not start with YYYY-MM-DD-, and the path has no YYYY/MM/DD folders"
	}
	return time.Time{}, &Problem{File: file, Line: fm.line(key), Field: "date", Msg: msg,
		Fix: "add date: YYYY-MM-DD to the front matter"}
}

// placeDate is the date in the post's name (the bundle folder's for an
// index file) or its path, or in a Zola-style front-matter path.
func (fm *frontMatter) placeDate(file string) (time.Time, string, bool) {
	if t, ok := nameDate(postName(file)); ok {
		return t, "file name", true
	}
	if t, ok := pathDate(path.Dir(file)); ok {
		return t, "path", true
	}
	for dir := path.Dir(file); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if t, ok := nameDate(path.Base(dir)); ok { // blog/2001-01-01/notes.md
			return t, "path", true
		}
	}
	for _, v := range []text{fm.Path, fm.URL, fm.Permalink} {
		if t, ok := pathDate(string(v)); ok && v != "" {
			return t, "front matter's path", true
		}
	}
	return time.Time{}, "", false
}

// The years a post's dates may fall in: the search index stores a date as
// nanoseconds since 1970 in 64 bits (bleve refuses anything outside
// 1677-12-01 to 2262-04-11), and a date it cannot store would silently
// become year 1, out of order and out of every date filter.
const (
	MinYear = 1678
	MaxYear = 2261
)

// updated reads lastmod, or updated when lastmod is absent.
// A date that does not parse is ignored with a warning: the post is
// published all the same, and only its "updated" line is lost.
func (fm *frontMatter) updated(file string) time.Time {
	key, v := "lastmod", fm.Lastmod
	for _, kv := range []struct {
		key string
		v   text
	}{{"updated", fm.Updated}, {"last_modified_at", fm.LastModifiedAt}, {"modified", fm.Modified}} {
		if v == "" {
			key, v = kv.key, kv.v
		}
	}
	t, prob := fm.date(file, key, v)
	if prob != nil {
		prob.Msg += "; it is ignored"
		fm.warnings = append(fm.warnings, prob)
	}
	return t
}

// slug takes the front-matter slug if set, else the post's name (a
// bundle's folder name for index.md) without its date prefix, and
// slugifies either so that URLs stay uniform.
func (fm *frontMatter) slug(file string) (string, *Problem) {
	if fm.Slug != "" {
		if s := Slugify(string(fm.Slug)); s != "" {
			return s, nil
		}
		return "", &Problem{File: file, Line: fm.line("slug"), Field: "slug",
			Msg: fmt.Sprintf("slug %q has no letters or digits", string(fm.Slug)),
			Fix: "use lowercase letters, digits and hyphens, e.g. slug: my-post"}
	}
	name := postName(file)
	if s := Slugify(stripNameDate(name)); s != "" {
		return s, nil
	}
	return "", &Problem{File: file,
		Msg: fmt.Sprintf("file name %q gives an empty slug", path.Base(file)),
		Fix: "rename the file using letters or digits, or set slug: in the front matter"}
}

// postName is what names a post on disk: the file's base name without its
// extension, or for a page bundle (blog/2019-11-07-launch/index.md) its
// folder's name.
func postName(file string) string {
	base := path.Base(file)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if dir := path.Dir(file); isBundleIndex(base) && dir != "." && dir != "/" {
		return path.Base(dir)
	}
	return stem
}

// isBundleIndex reports a page bundle's post file: index.md, index.mdx or
// index.markdown (any case).
func isBundleIndex(base string) bool {
	return strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), "index") && isPostExt(base)
}
