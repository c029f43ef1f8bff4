package index

import (
	"encoding/json"
	"fmt"
	"time"

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
	Sections string    `json:"sections"`
	Words    float64   `json:"words"`
}

// section is the stored form of render.Section: short keys keep the
// stored field small, since it is loaded with every hit.
type section struct {
	Heading string `json:"h,omitempty"`
	Anchor  string `json:"a,omitempty"`
	Start   int    `json:"s"`
}

// newDocument turns a parsed post into its index document. Both the full
// build and incremental updates go through here, so a post is indexed the
// same way whichever path saw it.
func newDocument(r *render.Renderer, p *post.Post) (*document, error) {
	d, err := r.Text(p.Body)
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
		Sections: string(sj),
		Words:    float64(d.Words),
	}
	return doc, nil
}
