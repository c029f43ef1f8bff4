package web

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostileStrings are texts that encoding/json escapes in every way it can.
var hostileStrings = []string{
	"", "plain", `"quoted" \ back\slash`, "<script>alert(1)</script> & more",
	"tab\there\nnew\rline\bback\fform", "\x00\x01\x1f\x7f", "line\u2028sep\u2029para",
	"bad \xff utf-8 \xc3", "naïve Łódź 東京 🚀", "</b><b>", "\u00e9\u0301",
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range hostileStrings {
		checkJSONString(t, s)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	f.Fuzz(checkJSONString)
}

func checkJSONString(t *testing.T, s string) {
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
		t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
	}
}

var jsonFloats = []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.99e-7, 1e-7, 1.25e-9, 1e20, 1e21, -1e21,
	123456789.125, 5e-324, math.MaxFloat64, 3.4028234663852886e38, 12.345678901234567}

func TestAppendJSONFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range jsonFloats {
		checkJSONFloat(t, f)
	}
	if _, err := appendJSONFloat(nil, math.NaN()); err == nil {
		t.Error("NaN encoded without an error")
	}
}

func FuzzAppendJSONFloat(f *testing.F) {
	for _, x := range jsonFloats {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		checkJSONFloat(t, x)
	})
}

func checkJSONFloat(t *testing.T, f float64) {
	want, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := appendJSONFloat(nil, f)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("appendJSONFloat(%v) = %s, %v; want %s", f, got, err, want)
	}
}

// referenceHitJSON encodes a hit the way hitView did before it was
// written by hand: each member through encoding/json.
func referenceHitJSON(t *testing.T, v hitView) []byte {
	t.Helper()
	ms := append([]member(nil), v.extra...)
	for _, i := range v.fields {
		ms = append(ms, member{hitFields[i].name, hitFields[i].json(v.hit)})
	}
	out := []byte{'{'}
	for i, m := range ms {
		if i > 0 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, m.key)
		out = append(out, ':')
		b, err := json.Marshal(m.value)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return append(out, '}')
}

// testHitViews are hits with hostile text in every member, all fields.
func testHitViews(t *testing.T) []hitView {
	all, err := parseFields(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	var out []hitView
	for i, s := range hostileStrings {
		h := &apiHit{Slug: "post-" + strconv.Itoa(i), URL: "/posts/" + s, Title: s, TitleHTML: "<mark>" + s + "</mark>",
			Date: time.Date(2024, 2, 29, 13, 4, 5, i*1000, time.FixedZone("x", 3600)), Author: s, Authors: []string{s, "B"},
			Tags: []string{}, Summary: s, Words: 1000 * i, Score: 1.0 / float64(i+3),
			Fragments: []apiFragment{{HTML: s, Heading: s, URL: "/p#" + s}, {HTML: "x", URL: "/p"}}}
		if i%3 == 0 {
			h.Fragments = []apiFragment{}
			h.Authors = nil
		}
		out = append(out, hitView{hit: h, fields: all})
		if i%4 == 0 {
			some, err := parseFields([]string{"score,title", "fragments"}, true)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, hitView{hit: h, fields: some, extra: []member{{"rank", i}, {"index_build", s}}})
		}
	}
	return out
}

func TestHitViewMatchesEncodingJSON(t *testing.T) {
	for _, v := range testHitViews(t) {
		want := referenceHitJSON(t, v)
		got, err := v.MarshalJSON()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("hit %s:\n got %s, %v\nwant %s", v.hit.Slug, got, err, want)
		}
	}
}

// TestSplicedAnswersMatchEncodingJSON: a list answer with its hits spliced
// in is what encoding/json makes of the whole answer.
func TestSplicedAnswersMatchEncodingJSON(t *testing.T) {
	hits := testHitViews(t)
	page := 2
	cursor := "abc<>&"
	header := apiListHeader{Total: 12, TookMS: 1.25, Sort: "relevance", Page: &page, PerPage: 10, NextCursor: &cursor,
		Facets: map[string][]apiFacetValue{"tags": {{Value: "<p2p>", Count: 3}}}, IndexBuild: "b1"}
	for name, tc := range map[string]struct {
		answer hitList
		plain  any
	}{
		"search":          {apiSearchResponse{Suggestion: "<s>", apiListHeader: header, Hits: hits}, plainSearchResponse{Suggestion: "<s>", apiListHeader: header, Hits: hits}},
		"search, no hits": {apiSearchResponse{Hits: []hitView{}}, plainSearchResponse{Hits: []hitView{}}},
		"search, nil":     {apiSearchResponse{}, plainSearchResponse{}},
		"posts":           {apiPostsResponse{apiListHeader: header, Posts: hits}, plainPostsResponse{apiListHeader: header, Posts: hits}},
	} {
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(tc.plain); err != nil {
			t.Fatal(err)
		}
		if got := mustJSON(tc.answer); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want.Bytes())
		}
	}
}

// BenchmarkSearchAnswerJSON encodes a search answer of ten hits with
// three snippets each, as /api/v1/search sends it.
func BenchmarkSearchAnswerJSON(b *testing.B) {
	all, err := parseFields(nil, true)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Peer to peer <mark>streaming</mark> of 4K video over IPFS & Filecoin, naïve. ", 3)
	var hits []hitView
	for i := range 10 {
		h := &apiHit{Slug: "some-post-slug", URL: "/posts/some-post-slug", Title: "A title about p2p streaming",
			TitleHTML: "A title about <mark>p2p</mark> streaming", Date: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			Author: "Jane Doe", Authors: []string{"Jane Doe"}, Tags: []string{"p2p", "ipfs", "streaming"}, Summary: text,
			Words: 1200 + i, Score: 3.14159 * float64(i+1),
			Fragments: []apiFragment{{HTML: text, Heading: "Intro", URL: "/posts/x#intro"}, {HTML: text, URL: "/posts/x"}, {HTML: text, Heading: "More", URL: "/posts/x#more"}}}
		hits = append(hits, hitView{hit: h, fields: all})
	}
	answer := apiSearchResponse{apiListHeader: apiListHeader{Total: 2500, Sort: "relevance", PerPage: 10}, Hits: hits}
	var n int
	for b.Loop() {
		n = len(mustJSON(answer))
	}
	b.ReportMetric(float64(n), "bytes/answer")
}
