package importer

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/blust/archive/internal/post"
)

// RSS 2.0, with the modules WordPress exports use (content:encoded,
// excerpt:encoded, dc:creator, wp:*). Elements are matched by local name;
// where two modules share one ("encoded"), the namespace decides.
type rssDoc struct {
	Channel struct {
		Link    string      `xml:"link"`
		Authors []wxrAuthor `xml:"author"`
		Items   []rssItem   `xml:"item"`
	} `xml:"channel"`
}

type wxrAuthor struct {
	Login   string `xml:"author_login"`
	Display string `xml:"author_display_name"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	PubDate     string        `xml:"pubDate"`
	Author      string        `xml:"author"`
	Creators    []string      `xml:"creator"`
	Categories  []rssCategory `xml:"category"`
	Description string        `xml:"description"`
	Encoded     []nsText      `xml:"encoded"`
	PostName    string        `xml:"post_name"`
	PostType    string        `xml:"post_type"`
	Status      string        `xml:"status"`
	PostDate    string        `xml:"post_date"`
	PostDateGMT string        `xml:"post_date_gmt"`
	Comments    []struct{}    `xml:"comment"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr"`
	Text   string `xml:",chardata"`
}

type nsText struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

func decodeXML(data []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	// Feeds in the wild use HTML entities such as &nbsp;. (AutoClose is
	// left off: it would close RSS's <link> as HTML's empty element.)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	return d.Decode(v)
}

// importRSS reads an RSS 2.0 feed or a WordPress export: one post per item
// (per published or draft post, for WordPress).
func importRSS(name string, data []byte, f Format) (*Result, error) {
	var doc rssDoc
	if err := decodeXML(data, &doc); err != nil {
		return nil, fmt.Errorf("not a readable RSS feed: %w", err)
	}
	r := &Result{}
	authors := map[string]string{}
	for _, a := range doc.Channel.Authors {
		if a.Login != "" && strings.TrimSpace(a.Display) != "" {
			authors[a.Login] = strings.TrimSpace(a.Display)
		}
	}
	skipped := map[string]int{}
	for i, it := range doc.Channel.Items {
		from := fmt.Sprintf("%s item %d (%q)", name, i+1, strings.TrimSpace(it.Title))
		if f == WXR && !wantWXRItem(r, it, from, skipped) {
			continue
		}
		if p, ok := rssPost(r, it, from, f, authors); ok {
			r.Posts = append(r.Posts, p)
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(skipped)) {
		r.note("%d WordPress %s items not imported: the archive holds posts only", skipped[kind], kind)
	}
	return r, nil
}

// wantWXRItem keeps posts and notes the rest.
func wantWXRItem(r *Result, it rssItem, from string, skipped map[string]int) bool {
	switch {
	case it.PostType != "" && it.PostType != "post":
		skipped[it.PostType]++
		return false
	case it.Status == "trash" || it.Status == "auto-draft" || it.Status == "inherit":
		r.note("%s: status %q, not imported", from, it.Status)
		return false
	}
	return true
}

func rssPost(r *Result, it rssItem, from string, f Format, authors map[string]string) (Post, bool) {
	title := strings.TrimSpace(collapseSpace(it.Title))
	date, ok := rssDate(it)
	switch {
	case title == "":
		r.note("%s: no title; not imported", from)
		return Post{}, false
	case !ok:
		r.note("%s: no readable date (%q); not imported", from, strings.TrimSpace(it.PubDate+" "+it.PostDate))
		return Post{}, false
	}
	c := &converter{r: r, from: from}
	content, excerpt := encoded(it)
	src := post.Source{Title: title, Date: date, Authors: rssAuthors(it, authors), Tags: categories(it.Categories)}
	switch {
	case content != "":
		if f == WXR {
			content = autop(stripShortcodes(c, content))
		}
		src.Body = c.fragment(content)
		src.Summary = plainText(firstNonEmpty(excerpt, it.Description))
	default:
		src.Body = c.fragment(it.Description)
	}
	if f == WXR && it.Status != "" && it.Status != "publish" {
		src.Draft = true
		r.note("%s: WordPress status %q, imported as a draft", from, it.Status)
	}
	if n := len(it.Comments); n > 0 {
		r.note("%s: %d comments not imported: the archive has no comments", from, n)
	}
	if p := urlPath(it.Link); p != "" && p != "/" {
		src.Aliases = []string{p}
	}
	return Post{Slug: slugFor(it.PostName, it.Link, title), Source: src, From: from}, true
}

func rssDate(it rssItem) (time.Time, bool) {
	if it.PostDateGMT != "" && !strings.HasPrefix(it.PostDateGMT, "0000") {
		if t, ok := parseDate(it.PostDateGMT); ok {
			return t, true
		}
	}
	for _, s := range []string{it.PubDate, it.PostDate} {
		if t, ok := parseDate(s); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// encoded returns content:encoded and excerpt:encoded.
func encoded(it rssItem) (content, excerpt string) {
	for _, e := range it.Encoded {
		switch {
		case strings.Contains(e.XMLName.Space, "excerpt"):
			excerpt = strings.TrimSpace(e.Text)
		default:
			content = strings.TrimSpace(e.Text)
		}
	}
	return content, excerpt
}

// rssAuthors reads dc:creator (a WordPress login, mapped to its display
// name) or RSS's "email (Name)" author.
func rssAuthors(it rssItem, names map[string]string) []string {
	var out []string
	for _, c := range it.Creators {
		c = strings.TrimSpace(c)
		if n, ok := names[c]; ok {
			c = n
		}
		if c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 && strings.TrimSpace(it.Author) != "" {
		a := strings.TrimSpace(it.Author)
		if i, j := strings.Index(a, "("), strings.LastIndex(a, ")"); i >= 0 && j > i {
			a = strings.TrimSpace(a[i+1 : j])
		}
		out = append(out, a)
	}
	return out
}

func categories(cs []rssCategory) []string {
	var out []string
	for _, c := range cs {
		if t := strings.TrimSpace(collapseSpace(c.Text)); t != "" && !strings.EqualFold(t, "uncategorized") {
			out = append(out, t)
		}
	}
	return out
}

// wpBlockComment marks the blocks of WordPress's editor; they carry no text.
var wpBlockComment = regexp.MustCompile(`<!-- /?wp:[^>]*-->`)

var blockTagRe = regexp.MustCompile(`(?i)^\s*<(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|!--)`)

// autop does what WordPress does when it shows a post: text separated by
// blank lines becomes paragraphs (its exports store posts without <p>).
func autop(s string) string {
	s = wpBlockComment.ReplaceAllString(strings.ReplaceAll(s, "\r\n", "\n"), "")
	var b strings.Builder
	for _, chunk := range regexp.MustCompile(`\n\s*\n`).Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		if blockTagRe.MatchString(chunk) {
			b.WriteString(chunk + "\n")
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(chunk, "\n", "<br>\n") + "</p>\n")
	}
	return b.String()
}

var shortcodeRe = regexp.MustCompile(`\[(/?)([a-z_][a-z0-9_-]*)([^\]]*)\]`)

// stripShortcodes removes WordPress shortcodes, keeping what they wrap
// ([caption]…[/caption] keeps the image and caption) and noting the ones
// that produced content of their own ([gallery], [embed]).
func stripShortcodes(c *converter, s string) string {
	return shortcodeRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := shortcodeRe.FindStringSubmatch(m)
		if sub[1] == "" && sub[2] != "caption" {
			c.r.note("%s: WordPress shortcode [%s] not mapped; its output is missing", c.from, sub[2])
		}
		return ""
	})
}

func plainText(htmlText string) string {
	if strings.TrimSpace(htmlText) == "" {
		return ""
	}
	r := &Result{}
	md := (&converter{r: r}).fragment(htmlText)
	return strings.TrimSpace(collapseSpace(strings.NewReplacer(`\`, "", "*", "", "#", "").Replace(md)))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// Atom 1.0.
type atomFeed struct {
	Authors []atomPerson `xml:"author"`
	Entries []atomEntry  `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title      atomText     `xml:"title"`
	Links      []atomLink   `xml:"link"`
	Published  string       `xml:"published"`
	Updated    string       `xml:"updated"`
	Authors    []atomPerson `xml:"author"`
	Categories []struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr"`
	} `xml:"category"`
	Summary atomText `xml:"summary"`
	Content atomText `xml:"content"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

// atomText is a text construct: type text (plain), html (escaped markup)
// or xhtml (markup inline, in a div).
type atomText struct {
	Type  string `xml:"type,attr"`
	Text  string `xml:",chardata"`
	Inner string `xml:",innerxml"`
}

func (t atomText) html() string {
	switch t.Type {
	case "html":
		return t.Text
	case "xhtml":
		return t.Inner
	}
	return "<p>" + strings.ReplaceAll(htmlEscape(strings.TrimSpace(t.Text)), "\n\n", "</p><p>") + "</p>"
}

func (t atomText) plain() string {
	if t.Type == "xhtml" || t.Type == "html" {
		return plainText(t.html())
	}
	return strings.TrimSpace(collapseSpace(t.Text))
}

func importAtom(name string, data []byte) (*Result, error) {
	var feed atomFeed
	if err := decodeXML(data, &feed); err != nil {
		return nil, fmt.Errorf("not a readable Atom feed: %w", err)
	}
	r := &Result{}
	for i, e := range feed.Entries {
		from := fmt.Sprintf("%s entry %d (%q)", name, i+1, e.Title.plain())
		if p, ok := atomPost(r, e, feed.Authors, from); ok {
			r.Posts = append(r.Posts, p)
		}
	}
	return r, nil
}

func atomPost(r *Result, e atomEntry, feedAuthors []atomPerson, from string) (Post, bool) {
	title := e.Title.plain()
	date, ok := parseDate(firstNonEmpty(e.Published, e.Updated))
	switch {
	case title == "":
		r.note("%s: no title; not imported", from)
		return Post{}, false
	case !ok:
		r.note("%s: no readable date; not imported", from)
		return Post{}, false
	}
	c := &converter{r: r, from: from}
	src := post.Source{Title: title, Date: date}
	people := e.Authors
	if len(people) == 0 {
		people = feedAuthors
	}
	for _, a := range people {
		if n := strings.TrimSpace(a.Name); n != "" {
			src.Authors = append(src.Authors, n)
		}
	}
	for _, cat := range e.Categories {
		if t := strings.TrimSpace(firstNonEmpty(cat.Label, cat.Term)); t != "" {
			src.Tags = append(src.Tags, t)
		}
	}
	if strings.TrimSpace(e.Content.Text+e.Content.Inner) != "" {
		src.Body = c.fragment(e.Content.html())
		src.Summary = e.Summary.plain()
	} else {
		src.Body = c.fragment(e.Summary.html())
	}
	link := ""
	for _, l := range e.Links {
		if l.Rel == "" || l.Rel == "alternate" {
			link = l.Href
			break
		}
	}
	if p := urlPath(link); p != "" && p != "/" {
		src.Aliases = []string{p}
	}
	return Post{Slug: slugFor("", link, title), Source: src, From: from}, true
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
