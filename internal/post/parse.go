package post

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

const bom = "\uFEFF"

// Parse parses one file's bytes into a Post. file names the file in
// messages and gives the slug when the front matter sets none. Parse fails
// with a *Problem when the file is empty, binary or not UTF-8, has no or
// broken front matter, or lacks a title or a real date.
func Parse(file string, data []byte) (*Post, error) {
	post, p := parse(file, data)
	if p != nil {
		return nil, p
	}
	return post, nil
}

// parse returns *Problem rather than error so that a nil problem can never
// become a non-nil error interface by accident.
func parse(file string, data []byte) (*Post, *Problem) {
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
	post, p := fm.post(file)
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

// post checks the decoded front matter and builds the Post from it.
func (fm *frontMatter) post(file string) (*Post, *Problem) {
	p := &Post{
		File:      file,
		Title:     strings.Join(strings.Fields(string(fm.Title)), " "),
		Summary:   firstNonEmpty(fm.Summary, fm.Description),
		Canonical: firstNonEmpty(fm.CanonicalURL, fm.CanonicalSnake, fm.Canon),
		Draft:     bool(fm.Draft),
		Authors:   authorNames(fm.Author, fm.Authors),
		Tags:      normalizeTags(fm.Tags, fm.Categories),
		Aliases:   unique(append(fm.Aliases, string(fm.Permalink))),
	}
	if p.Title == "" {
		return nil, fm.missing(file, "title", "add title: followed by the post's title")
	}
	var prob *Problem
	if p.Date, prob = fm.date(file, "date", fm.Date); prob != nil {
		return nil, prob
	}
	if p.Date.IsZero() {
		return nil, fm.missing(file, "date", "add date: YYYY-MM-DD")
	}
	if p.Updated, prob = fm.updated(file); prob != nil {
		return nil, prob
	}
	if p.Slug, prob = fm.slug(file); prob != nil {
		return nil, prob
	}
	return p, nil
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

// The years a post's dates may fall in: the search index stores a date as
// nanoseconds since 1970 in 64 bits (bleve refuses anything outside
// 1677-12-01 to 2262-04-11), and a date it cannot store would silently
// become year 1, out of order and out of every date filter.
const (
	MinYear = 1678
	MaxYear = 2261
)

// updated reads lastmod, or updated when lastmod is absent.
func (fm *frontMatter) updated(file string) (time.Time, *Problem) {
	if fm.Lastmod != "" {
		return fm.date(file, "lastmod", fm.Lastmod)
	}
	return fm.date(file, "updated", fm.Updated)
}

// slug takes the front-matter slug if set, else the file's base name, and
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
	base := path.Base(file)
	if s := Slugify(strings.TrimSuffix(base, path.Ext(base))); s != "" {
		return s, nil
	}
	return "", &Problem{File: file,
		Msg: fmt.Sprintf("file name %q gives an empty slug", base),
		Fix: "rename the file using letters or digits, or set slug: in the front matter"}
}
