package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      atomText       `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

// WriteAtom writes f as an Atom 1.0 document. It fails only when w does.
func WriteAtom(w io.Writer, f *Feed) error {
	af := atomFeed{
		Title:   atomText{Type: "text", Body: clean(f.Title)},
		Lang:    f.Language,
		ID:      orElse(f.ID, f.Self),
		Updated: f.Updated.UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: f.Self},
			{Rel: "alternate", Type: "text/html", Href: f.Link},
		},
	}
	if f.Subtitle != "" {
		af.Subtitle = &atomText{Type: "text", Body: clean(f.Subtitle)}
	}
	if f.Author != "" {
		af.Author = &atomPerson{Name: clean(f.Author)}
	}
	for _, e := range f.Entries {
		af.Entries = append(af.Entries, atomEntryOf(e, f.Author))
	}
	return encode(w, af)
}

func atomEntryOf(e Entry, feedAuthor string) atomEntry {
	ae := atomEntry{
		Title:     atomText{Type: "text", Body: clean(e.Title)},
		ID:        e.id(),
		Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: e.Link}},
		Published: e.Published.UTC().Format(time.RFC3339),
		Updated:   e.updated().UTC().Format(time.RFC3339),
	}
	for _, a := range e.Authors {
		ae.Authors = append(ae.Authors, atomPerson{Name: clean(a)})
	}
	if len(ae.Authors) == 0 && feedAuthor == "" {
		ae.Authors = []atomPerson{{Name: "unknown"}} // Atom requires an author somewhere
	}
	for _, c := range e.Categories {
		ae.Categories = append(ae.Categories, atomCategory{Term: clean(c)})
	}
	if e.Summary != "" {
		ae.Summary = &atomText{Type: "text", Body: clean(e.Summary)}
	}
	if e.Content != "" {
		ae.Content = &atomText{Type: "html", Body: clean(e.Content)}
	}
	return ae
}

func encode(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
