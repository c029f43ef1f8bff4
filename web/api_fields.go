package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blust/archive/index"
)

// apiHit is everything the API can say about one hit or listed post;
// `fields` chooses which of it is sent.
type apiHit struct {
	Slug      string
	URL       string
	Title     string
	TitleHTML string
	Date      time.Time
	Author    string
	Authors   []string
	Tags      []string
	Summary   string
	Words     int
	Score     float64
	Fragments []apiFragment
}

type apiFragment struct {
	HTML    string `json:"html"`
	Heading string `json:"heading,omitempty"`
	URL     string `json:"url"`
}

func newAPIHit(h index.Hit) *apiHit {
	ah := &apiHit{
		Slug: h.Slug, URL: postURL(h.Slug), Title: h.Title, TitleHTML: h.TitleHTML, Date: h.Date,
		Author: strings.Join(h.Authors, ", "), Authors: orEmpty(h.Authors), Tags: orEmpty(h.Tags),
		Summary: h.Summary, Words: h.Words, Score: h.Score, Fragments: []apiFragment{},
	}
	for _, f := range h.Fragments {
		u := postURL(h.Slug)
		if f.Anchor != "" {
			u += "#" + f.Anchor
		}
		ah.Fragments = append(ah.Fragments, apiFragment{HTML: f.HTML, Heading: f.Heading, URL: u})
	}
	return ah
}

// hitField is one field a client can select with `fields`: its JSON value
// and its CSV cell. The table's order is the order of JSON keys and CSV
// columns.
type hitField struct {
	name string
	json func(*apiHit) any
	csv  func(*apiHit) string
}

func joinList(xs []string) string { return strings.Join(xs, "; ") }

var hitFields = []hitField{
	{"slug", func(h *apiHit) any { return h.Slug }, func(h *apiHit) string { return h.Slug }},
	{"url", func(h *apiHit) any { return h.URL }, func(h *apiHit) string { return h.URL }},
	{"title", func(h *apiHit) any { return h.Title }, func(h *apiHit) string { return h.Title }},
	{"title_html", func(h *apiHit) any { return h.TitleHTML }, func(h *apiHit) string { return h.TitleHTML }},
	{"date", func(h *apiHit) any { return h.Date }, func(h *apiHit) string { return h.Date.Format(time.RFC3339) }},
	{"author", func(h *apiHit) any { return h.Author }, func(h *apiHit) string { return h.Author }},
	{"authors", func(h *apiHit) any { return h.Authors }, func(h *apiHit) string { return joinList(h.Authors) }},
	{"tags", func(h *apiHit) any { return h.Tags }, func(h *apiHit) string { return joinList(h.Tags) }},
	{"summary", func(h *apiHit) any { return h.Summary }, func(h *apiHit) string { return h.Summary }},
	{"words", func(h *apiHit) any { return h.Words }, func(h *apiHit) string { return strconv.Itoa(h.Words) }},
	{"score", func(h *apiHit) any { return h.Score }, func(h *apiHit) string { return strconv.FormatFloat(h.Score, 'g', -1, 64) }},
	{"fragments", func(h *apiHit) any { return h.Fragments }, func(h *apiHit) string {
		parts := make([]string, len(h.Fragments))
		for i, f := range h.Fragments {
			parts[i] = f.HTML
		}
		return strings.Join(parts, " … ")
	}},
}

// searchOnlyFields make sense only for a text search, not a listing.
var searchOnlyFields = map[string]bool{"title_html": true, "score": true, "fragments": true}

// fieldSet is the selected fields as indexes into hitFields.
type fieldSet []int

func (fs fieldSet) has(name string) bool {
	for _, i := range fs {
		if hitFields[i].name == name {
			return true
		}
	}
	return false
}

// parseFields reads `fields` (comma-separated, repeatable) and keeps the
// order given; none means every field the endpoint has, in table order.
func parseFields(values []string, search bool) (fieldSet, error) {
	var fs fieldSet
	var names []string
	byName := map[string]int{}
	for i, f := range hitFields {
		if search || !searchOnlyFields[f.name] {
			names = append(names, f.name)
			byName[f.name] = i
		}
	}
	seen := map[string]bool{}
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" || seen[name] {
				continue
			}
			i, ok := byName[name]
			if !ok {
				return nil, badParam("fields", fmt.Sprintf("unknown field %s; use any of %s", quote(name), strings.Join(names, ", ")))
			}
			seen[name] = true
			fs = append(fs, i)
		}
	}
	if len(seen) == 0 {
		for _, name := range names {
			fs = append(fs, byName[name])
		}
	}
	return fs, nil
}

// hitView is a hit as JSON with only the selected fields, plus any extra
// members (an export's rank and build) first.
type hitView struct {
	hit    *apiHit
	fields fieldSet
	extra  []member
}

type member struct {
	key   string
	value any
}

func (v hitView) MarshalJSON() ([]byte, error) { return v.appendJSON(nil) }
