// Package render turns a post's Markdown body into what the rest of the
// archive needs: sanitised HTML for the article page, plain text for the
// search index, headings for the table of contents, sections that tie the
// plain text back to heading anchors, a summary, a word count and a reading
// time.
//
// It is the only package that imports goldmark, chroma and bluemonday. Posts
// come from real blog archives, so before goldmark sees them the Markdown is
// preprocessed: Hugo shortcodes, VuePress containers and embeds, emoji
// shortcodes and $$ math are rewritten into Markdown or HTML that goldmark
// understands, so their text is kept and the page stays readable.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Renderer converts Markdown posts. Build it once with New; it is safe for
// concurrent use by many goroutines.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	// titlePolicy keeps a title's inline formatting only (title.go).
	titlePolicy *bluemonday.Policy
	finish      *strings.Replacer
	css         []byte
}

// Heading is one heading of a document, for its table of contents.
type Heading struct {
	Level int    // 1-6
	ID    string // the anchor id in the HTML (goldmark auto heading ids, unique per document)
	Text  string // plain text of the heading
}

// Section is a run of the plain text that falls under one heading.
type Section struct {
	Heading string // heading text ("" for the text before the first heading)
	Anchor  string // heading id ("" for the lead)
	Start   int    // byte offset into Doc.Text where the section starts (at its heading's text)
}

// Doc is everything the archive derives from one post body.
type Doc struct {
	HTML template.HTML // sanitised HTML of the body
	// Text is the plain text: blocks (paragraphs, headings, list items, code
	// blocks, table rows, captions) separated by "\n", table cells by "\t";
	// no Markdown syntax, entities decoded, no HTML tags, no zero-width
	// characters, runs of spaces (NBSP included) collapsed outside code.
	Text     string
	Headings []Heading // in document order (for the table of contents); headings without text are left out
	// Sections are in order, Start ascending; the first Start is 0. A lead
	// section (Heading "") exists only if text comes before the first
	// heading; an empty Text has no sections.
	Sections []Section
	// Summary is the first real paragraph's plain text (not a heading,
	// image-only paragraph, code, list, table, raw HTML or shortcode
	// output), cut to at most SummaryMaxBytes at a word boundary, with "…"
	// if cut.
	Summary        string
	Words          int // word count of Text: whitespace-separated words, each CJK character a word
	ReadingMinutes int // ceil(Words/WordsPerMinute): at least 1 when Words > 0, else 0
	// Plain says why the body is a plain rendering (escaped paragraphs, no
	// headings) instead of its Markdown: it was over its render budget
	// (see Budget). Empty for a body rendered as Markdown.
	Plain string
	// timedOut marks a plain rendering made because the time budget ran
	// out, which a busy machine can cause on its own (see TimedOut).
	timedOut bool
	// Unrendered lists the template constructs that were dropped because
	// they could not be rendered (an include of the site's templates, an
	// unknown shortcode), in order of first appearance.
	Unrendered []Construct
}

// stopKey finds a render's stop flag in the goldmark parser context (see
// budget.go). goldmark hands out context keys from an unsynchronised
// package counter that every parse reads, so the key is taken once, when
// the package is initialised, and never while a render may be running.
var stopKey = parser.NewContextKey()

// New builds the goldmark pipeline, the sanitiser policy and the code
// stylesheet. It panics only if the built-in chroma styles are missing,
// which would be a build problem, not a runtime one.
func New() *Renderer {
	return &Renderer{
		md:          newMarkdown(stopKey),
		policy:      newPolicy(),
		titlePolicy: newTitlePolicy(),
		finish:      newTagFinisher(),
		css:         mustChromaCSS(),
	}
}

// Render produces the sanitised HTML and everything Text produces. It
// fails when goldmark's HTML would be over maxHTML of the body's size
// (reference links and table rows can repeat a long part of the body
// without bound); RenderWithin renders such a body plain instead.
func (r *Renderer) Render(markdown []byte) (*Doc, error) {
	return r.RenderWith(markdown, Options{})
}

// RenderWith is Render with what the post's templates refer to.
func (r *Renderer) RenderWith(markdown []byte, opts Options) (*Doc, error) {
	return r.render(markdown, true, &opts, nil)
}

// render is Render (withHTML) or Text; a non-nil stop ends the work early
// with errStopped once it is set (see budget.go).
func (r *Renderer) render(markdown []byte, withHTML bool, opts *Options, stop *stopFlag) (*Doc, error) {
	pre, unrendered := r.preprocess(markdown, opts)
	src := guard(pre)
	root := r.parse(src, stop)
	if stop.isSet() {
		return nil, errStopped
	}
	// Checked for Text too, so the index, archive check and the page
	// agree on which posts are plain.
	if max := maxHTML(len(markdown)); linkBytes(root) > max {
		return nil, fmt.Errorf("render: %w of %d bytes", errHTMLTooLarge, max)
	}
	dropTitleHeading(root, src, opts.Title)
	doc := extract(root, src)
	doc.Unrendered = unrendered
	if !withHTML {
		return doc, nil
	}
	if stop.isSet() {
		return nil, errStopped
	}
	var buf bytes.Buffer
	buf.Grow(len(src) * 2)
	if err := r.md.Renderer().Render(&capWriter{&buf, maxHTML(len(markdown)), stop}, src, root); err != nil {
		return nil, fmt.Errorf("render: goldmark: %w", err)
	}
	doc.HTML = template.HTML(r.sanitize(buf.Bytes())) // #nosec G203 -- r.sanitize runs bluemonday
	return doc, nil
}

// Text produces the plain text, headings, sections, summary and counts
// without building HTML, highlighting code or sanitising. It is meant for
// the indexing hot path. Heading ids are the same as Render's for the same
// input because both parse the same preprocessed source with the same
// parser. It fails as Render does when the HTML would be too large.
func (r *Renderer) Text(markdown []byte) (*Doc, error) {
	return r.TextWith(markdown, Options{})
}

// TextWith is Text with what the post's templates refer to.
func (r *Renderer) TextWith(markdown []byte, opts Options) (*Doc, error) {
	return r.render(markdown, false, &opts, nil)
}

// CSS returns the stylesheet for highlighted code blocks: chroma's classes
// in a light theme, and a dark theme under prefers-color-scheme: dark.
func (r *Renderer) CSS() []byte {
	return bytes.Clone(r.css)
}

func (r *Renderer) parse(src []byte, stop *stopFlag) ast.Node {
	if stop == nil {
		return r.md.Parser().Parse(text.NewReader(src))
	}
	pc := parser.NewContext()
	pc.Set(stopKey, stop)
	return r.md.Parser().Parse(stopReader{text.NewReader(src), stop}, parser.WithContext(pc))
}
