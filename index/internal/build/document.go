package build

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveidx "github.com/blevesearch/bleve_index_api"

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
	TitleKey string    `json:"title_key,omitempty"`
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
	secs := make([]schema.Section, 0, len(d.Sections))
	for _, s := range d.Sections {
		secs = append(secs, schema.Section{Heading: s.Heading, Anchor: s.Anchor, Start: s.Start})
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
		Aliases:  schema.AliasPaths(p.Aliases),
		TitleKey: post.TitleKey(p.Title),
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
func (d *document) pack() { d.packed = schema.PackBody(d.Body, d.Sections) }

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

// attachBody appends d's packed body to bf and stores its reference in
// the analysed document. It runs on the build's one writer goroutine.
func attachBody(bf *bodies.File, doc *bdoc.Document, d *document) error {
	ref, err := bf.Append(d.packed)
	if err != nil {
		return fmt.Errorf("index %s: %w", d.File, err)
	}
	doc.AddField(bdoc.NewTextFieldWithIndexingOptions(schema.FieldBodyRef, nil, []byte(ref.String()), bleveidx.StoreField))
	return nil
}
