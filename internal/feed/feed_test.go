package feed

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

const (
	hostileTitle   = `</title><script>alert(1)</script> & "quotes" ]]> <![CDATA[x]]>`
	hostileContent = `<p>ok</p><img src=x onerror="alert(2)"> ]]> &amp; done`
)

func testFeed() *Feed {
	day := time.Date(2018, 9, 20, 8, 30, 0, 0, time.FixedZone("", 3600))
	return &Feed{
		Title: "Blust Archive", Subtitle: "p2p & more", Link: "https://a.example/", Self: "https://a.example/feed.atom",
		Updated: day,
		Entries: []Entry{{
			Title: hostileTitle, Link: "https://a.example/posts/x", Published: day,
			Authors: []string{"Ada <b>Lovelace</b>"}, Categories: []string{"p2p", "<i>x</i>"},
			Summary: "bell\a and \x00 nul, bad \xff byte", Content: hostileContent,
		}},
	}
}

// parsed is what a feed reader gets back from either format.
type parsed struct {
	Title   string
	Content string
	Author  string
}

func parseAtom(t *testing.T, b []byte) parsed {
	t.Helper()
	var f struct {
		Entry []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
			Summary string `xml:"summary"`
			Author  []struct {
				Name string `xml:"name"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatalf("feed is not well-formed XML: %v\n%s", err, b)
	}
	if len(f.Entry) != 1 || len(f.Entry[0].Author) != 1 {
		t.Fatalf("entries = %+v", f.Entry)
	}
	return parsed{f.Entry[0].Title, f.Entry[0].Content, f.Entry[0].Author[0].Name}
}

func parseRSS(t *testing.T, b []byte) parsed {
	t.Helper()
	var f struct {
		Item []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
			Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatalf("feed is not well-formed XML: %v\n%s", err, b)
	}
	if len(f.Item) != 1 {
		t.Fatalf("items = %+v", f.Item)
	}
	return parsed{f.Item[0].Title, f.Item[0].Description, f.Item[0].Creator}
}

func TestHostileTextRoundTripsAsText(t *testing.T) {
	tests := []struct {
		name  string
		write func(*bytes.Buffer, *Feed) error
		parse func(*testing.T, []byte) parsed
	}{
		{"atom", func(b *bytes.Buffer, f *Feed) error { return WriteAtom(b, f) }, parseAtom},
		{"rss", func(b *bytes.Buffer, f *Feed) error { return WriteRSS(b, f) }, parseRSS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf, testFeed()); err != nil {
				t.Fatal(err)
			}
			raw := buf.String()
			for _, bad := range []string{"<script", "<img", "<b>", "onerror=\"", "\x00", "\a"} {
				if strings.Contains(raw, bad) {
					t.Errorf("raw feed contains %q unescaped:\n%s", bad, raw)
				}
			}
			got := tt.parse(t, buf.Bytes())
			if got.Title != hostileTitle {
				t.Errorf("title = %q, want %q", got.Title, hostileTitle)
			}
			if got.Content != hostileContent {
				t.Errorf("content = %q, want %q", got.Content, hostileContent)
			}
			if got.Author != "Ada <b>Lovelace</b>" {
				t.Errorf("author = %q", got.Author)
			}
		})
	}
}

func TestAtomHasTheRequiredElements(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAtom(&buf, testFeed()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<feed xmlns="http://www.w3.org/2005/Atom">`,
		`<id>https://a.example/feed.atom</id>`,
		`<updated>2018-09-20T07:30:00Z</updated>`,
		`<link rel="self" type="application/atom+xml" href="https://a.example/feed.atom"></link>`,
		`<published>2018-09-20T07:30:00Z</published>`,
		`<summary type="text">bell� and � nul, bad � byte</summary>`,
		`<category term="&lt;i&gt;x&lt;/i&gt;"></category>`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("feed lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestRSSDates(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRSS(&buf, testFeed()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<rss version="2.0"`, `<pubDate>Thu, 20 Sep 2018 07:30:00 +0000</pubDate>`, `<guid isPermaLink="true">https://a.example/posts/x</guid>`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("feed lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestLastUpdated(t *testing.T) {
	a, b := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := LastUpdated([]Entry{{Published: a}, {Published: a, Updated: b}}); !got.Equal(b) {
		t.Errorf("LastUpdated = %v, want %v", got, b)
	}
	if got := LastUpdated(nil); !got.IsZero() {
		t.Errorf("LastUpdated(nil) = %v, want zero", got)
	}
}
