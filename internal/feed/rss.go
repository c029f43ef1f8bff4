package feed

import (
	"encoding/xml"
	"io"
	"strings"
	"time"
)

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	DCNS    string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	AtomLink      rssSelf   `xml:"atom:link"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Creator     string   `xml:"dc:creator,omitempty"`
	Categories  []string `xml:"category"`
	Description string   `xml:"description,omitempty"`
}

// WriteRSS writes f as an RSS 2.0 document; an entry's description is its
// HTML content, or its summary when it has none. It fails only when w does.
func WriteRSS(w io.Writer, f *Feed) error {
	desc := f.Subtitle
	if desc == "" {
		desc = f.Title
	}
	doc := rssDoc{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", DCNS: "http://purl.org/dc/elements/1.1/", Channel: rssChannel{
		Title:       clean(f.Title),
		Link:        f.Link,
		Description: clean(desc),
		Language:    f.Language,
		AtomLink:    rssSelf{Href: f.Self, Rel: "self", Type: "application/rss+xml"},
	}}
	if !f.Updated.IsZero() {
		doc.Channel.LastBuildDate = f.Updated.UTC().Format(time.RFC1123Z)
	}
	for _, e := range f.Entries {
		doc.Channel.Items = append(doc.Channel.Items, rssItemOf(e))
	}
	return encode(w, doc)
}

func rssItemOf(e Entry) rssItem {
	it := rssItem{
		Title:       clean(e.Title),
		Link:        e.Link,
		GUID:        rssGUID{IsPermaLink: "true", Value: e.id()},
		PubDate:     e.Published.UTC().Format(time.RFC1123Z),
		Description: clean(orElse(e.Content, e.Summary)),
	}
	if e.ID != "" && e.ID != e.Link {
		it.GUID.IsPermaLink = "false"
	}
	for _, c := range e.Categories {
		it.Categories = append(it.Categories, clean(c))
	}
	if len(e.Authors) > 0 {
		// RSS's own <author> wants an e-mail address; Dublin Core's
		// creator is the usual place for a name.
		it.Creator = clean(strings.Join(e.Authors, ", "))
	}
	return it
}
