package index

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// document is what one post becomes in the index. The json tags are the
// field names bleve's mapping sees.
type document struct {
	Body     string    `json:"body"`
	Title    string    `json:"title"`
	Tags     []string  `json:"tags"`
	Authors  []string  `json:"authors"`
	Date     time.Time `json:"date"`
	Summary  string    `json:"summary"`
	File     string    `json:"file"`
	Hash     string    `json:"hash"`
	Slug     string    `json:"slug"`
	Sections string    `json:"-"` // kept with the body (packed)
	Words    float64   `json:"words"`
	Aliases  []string  `json:"aliases"` // AliasPath forms of the post's old URLs
	// packed is Body and Sections as the bodies file keeps them (see
	// pack), made on the render workers; bleve indexes Body and stores
	// only a reference.
	packed []byte
	// words are the vocabulary words of the analysed document (vocabOf),
	// found on the render workers too: on the one writer goroutine they
	// took a tenth of a build's time.
	words []string
	// plain says why the post was indexed from a plain rendering (over
	// its render budget); "" when its Markdown rendered.
	plain string
}

// section is a post's stored section (schema.Section), which snippets
// read to name their headings.
type section = schema.Section

// newDocument turns a parsed post into its index document. Both the full
// build and incremental updates go through here, so a post is indexed the
// same way whichever path saw it. A post over its render budget is
// indexed from a plain rendering of its text; only ctx ending is an error
// that is not the post's.
func newDocument(ctx context.Context, opts BuildOptions, p *post.Post) (*document, error) {
	d, err := opts.Renderer.TextWithin(ctx, p.Body, render.Options{Page: pageValues(p), Site: opts.Site, Title: p.Title}, opts.RenderBudget)
	if err != nil {
		return nil, fmt.Errorf("%s: render: %w", p.File, err)
	}
	secs := make([]section, 0, len(d.Sections))
	for _, s := range d.Sections {
		secs = append(secs, section{Heading: s.Heading, Anchor: s.Anchor, Start: s.Start})
	}
	sj, err := json.Marshal(secs)
	if err != nil {
		return nil, fmt.Errorf("%s: sections: %w", p.File, err)
	}
	summary := p.Summary
	if summary == "" {
		summary = d.Summary
	}
	doc := &document{
		Title:    p.Title,
		Body:     d.Text,
		Tags:     p.Tags,
		Authors:  p.Authors,
		Date:     p.Date,
		Summary:  summary,
		File:     p.File,
		Hash:     p.Hash,
		Slug:     p.Slug,
		Sections: string(sj),
		Words:    float64(d.Words),
		plain:    d.Plain,
		Aliases:  aliasPaths(p.Aliases),
	}
	doc.pack()
	return doc, nil
}

// analyse maps and analyses d for bleve (analyzed) and lists its
// vocabulary words, as the render workers do for each post.
func (d *document) analyse(m mapping.IndexMapping, id string) (*bdoc.Document, error) {
	bd, err := analyzed(m, id, d)
	if err != nil {
		return nil, err
	}
	d.words = vocabOf(bd)
	return bd, nil
}

// pack makes the bodies record of d: the text, then the sections, which
// are only ever read with it (a hit's snippets name their headings).
func (d *document) pack() { d.packed = bodies.Pack(d.Body, d.Sections) }

// decodeSections reads a post's stored sections. Every search hit with
// snippets needs them, and encoding/json took a tenth of such a search;
// the field is always json.Marshal's output for []section, which this
// reads directly, leaving anything else (an escape in a heading, say) to
// encoding/json.
func decodeSections(s string) ([]section, error) {
	if out, ok := readSections(s); ok {
		return out, nil
	}
	var out []section
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

func readSections(s string) ([]section, bool) {
	rest, ok := strings.CutPrefix(s, "[")
	out := make([]section, 0, 8)
	if rest == "]" {
		return out, ok
	}
	for ok {
		var sec section
		if sec, rest, ok = readSection(rest); !ok {
			return nil, false
		}
		out = append(out, sec)
		if rest == "]" {
			return out, true
		}
		rest, ok = strings.CutPrefix(rest, ",")
	}
	return nil, false
}

// readSection reads one {"h":…,"a":…,"s":…} object from the start of s.
func readSection(s string) (section, string, bool) {
	var sec section
	rest, ok := strings.CutPrefix(s, "{")
	if after, empty := strings.CutPrefix(rest, "}"); ok && empty {
		return sec, after, true
	}
	for ok {
		var key string
		if key, rest, ok = cutJSONString(rest); !ok {
			break
		}
		if rest, ok = strings.CutPrefix(rest, ":"); !ok {
			break
		}
		switch key {
		case "h":
			sec.Heading, rest, ok = cutJSONString(rest)
		case "a":
			sec.Anchor, rest, ok = cutJSONString(rest)
		case "s":
			sec.Start, rest, ok = cutJSONInt(rest)
		default:
			ok = false
		}
		if !ok {
			break
		}
		if after, end := strings.CutPrefix(rest, "}"); end {
			return sec, after, true
		}
		rest, ok = strings.CutPrefix(rest, ",")
	}
	return section{}, s, false
}

// cutJSONString reads a JSON string from the start of s, if it is plain
// valid UTF-8: no escapes or control characters.
func cutJSONString(s string) (string, string, bool) {
	body, ok := strings.CutPrefix(s, `"`)
	end := strings.IndexByte(body, '"')
	if !ok || end < 0 {
		return "", s, false
	}
	str := body[:end]
	for i := 0; i < len(str); i++ {
		if str[i] < 0x20 || str[i] == '\\' {
			return "", s, false
		}
	}
	return str, body[end+1:], utf8.ValidString(str)
}

// cutJSONInt reads a JSON integer from the start of s.
func cutJSONInt(s string) (int, string, bool) {
	end := strings.IndexAny(s, ",}")
	if end < 0 {
		return 0, s, false
	}
	num := s[:end]
	digits := strings.TrimPrefix(num, "-")
	if digits == "" || digits[0] == '0' && len(digits) > 1 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, s, false
	}
	n, err := strconv.Atoi(num)
	return n, s[end:], err == nil
}

// warnPlain logs a post indexed from a plain rendering: it is searchable,
// but its page shows no formatting until its Markdown fits the budget.
func warnPlain(log *slog.Logger, d *document) {
	if d.plain != "" {
		log.Warn("post indexed as plain text", "file", d.File, "reason", d.plain)
	}
}

// pageValues are the front-matter values a post's templates may read
// ({{ page.title }}, {{% param canonical_url %}}); the article page passes
// the same, so the index and the page agree.
func pageValues(p *post.Post) map[string]string {
	v := map[string]string{"title": p.Title, "slug": p.Slug, "summary": p.Summary, "description": p.Summary}
	if p.Canonical != "" {
		v["canonical_url"] = p.Canonical
	}
	return v
}
