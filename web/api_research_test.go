package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blust/archive/index"
)

// searchPage is the part of a /search or /posts answer paging needs.
type searchPageBody struct {
	Total      int     `json:"total"`
	Page       *int    `json:"page"`
	Offset     int     `json:"offset"`
	NextCursor *string `json:"next_cursor"`
	IndexBuild string  `json:"index_build"`
	Hits       []struct {
		Slug string `json:"slug"`
	} `json:"hits"`
	Posts []struct {
		Slug string `json:"slug"`
	} `json:"posts"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func decodePage(tb testing.TB, body string) searchPageBody {
	tb.Helper()
	var p searchPageBody
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		tb.Fatalf("decode: %v\n%s", err, body)
	}
	return p
}

func (p searchPageBody) slugs() []string {
	var out []string
	for _, h := range p.Hits {
		out = append(out, h.Slug)
	}
	for _, h := range p.Posts {
		out = append(out, h.Slug)
	}
	return out
}

// followCursor pages through a query by next_cursor and by the Link
// header, checking both lead to the same place.
func followCursor(tb testing.TB, s http.Handler, path string, params url.Values) []string {
	tb.Helper()
	var got []string
	target := path + "?" + params.Encode()
	for pages := 0; ; pages++ {
		if pages > 50 {
			tb.Fatal("paging does not end")
		}
		res, body := get(tb, s, target)
		if res.StatusCode != 200 {
			tb.Fatalf("%s: %d %s", target, res.StatusCode, body)
		}
		p := decodePage(tb, body)
		if p.Offset != len(got) {
			tb.Errorf("page %d: offset %d, want %d", pages+1, p.Offset, len(got))
		}
		got = append(got, p.slugs()...)
		if p.NextCursor == nil {
			if res.Header.Get("Link") != "" {
				tb.Errorf("last page has a Link header %q", res.Header.Get("Link"))
			}
			if len(got) != p.Total {
				tb.Errorf("paged through %d of %d", len(got), p.Total)
			}
			return got
		}
		params.Set("cursor", *p.NextCursor)
		params.Del("page")
		target = path + "?" + params.Encode()
		if link := res.Header.Get("Link"); link != "<"+target+`>; rel="next"` {
			tb.Errorf("Link = %s, want <%s>; rel=\"next\"", link, target)
		}
	}
}

func TestAPICursorPagingReachesEveryHitInOrder(t *testing.T) {
	s := newResearchServer(t)
	for _, sortBy := range []string{"relevance", "newest", "oldest"} {
		t.Run(sortBy, func(t *testing.T) {
			_, body := get(t, s, "/api/v1/search?q=note+storage&per_page=100&sort="+sortBy)
			want := decodePage(t, body).slugs()
			got := followCursor(t, s, "/api/v1/search", url.Values{"q": {"note storage"}, "sort": {sortBy}, "per_page": {"4"}, "page": {"1"}})
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("cursor pages\n%v\nwant\n%v", got, want)
			}
		})
	}
	t.Run("posts", func(t *testing.T) {
		got := followCursor(t, s, "/api/v1/posts", url.Values{"tag": {"notes"}, "per_page": {"7"}})
		if len(got) != 30 {
			t.Errorf("listed %d posts tagged notes, want 30", len(got))
		}
	})
}

func TestAPICursorIsBoundToItsQueryAndBuild(t *testing.T) {
	content := researchContent(t)
	store, err := index.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Build(context.Background(), index.BuildOptions{Content: content}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(Deps{Index: ix, Content: content})
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, s, "/api/v1/search?q=note&per_page=2")
	cur := url.QueryEscape(*decodePage(t, body).NextCursor)
	tests := []struct {
		name, target, param, msg string
	}{
		{"another query", "/api/v1/search?q=storage&cursor=" + cur, "cursor", "another query"},
		{"another sort", "/api/v1/search?q=note&sort=oldest&cursor=" + cur, "cursor", "another query"},
		{"with a page", "/api/v1/search?q=note&page=2&cursor=" + cur, "page", "cannot be combined"},
		{"deep page", "/api/v1/search?q=note&page=101&per_page=100", "page", "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			var e apiErr
			json.Unmarshal([]byte(body), &e)
			if res.StatusCode != 400 || e.Error.Param != tt.param || !strings.Contains(e.Error.Message, tt.msg) {
				t.Errorf("got %d %+v, want 400 on %s saying %q", res.StatusCode, e.Error, tt.param, tt.msg)
			}
		})
	}
	t.Run("another build", func(t *testing.T) {
		if _, err := store.Build(context.Background(), index.BuildOptions{Content: content}); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Reload(); err != nil {
			t.Fatal(err)
		}
		res, body := get(t, s, "/api/v1/search?q=note&cursor="+cur)
		var e apiErr
		json.Unmarshal([]byte(body), &e)
		if res.StatusCode != 400 || e.Error.Param != "cursor" || !strings.Contains(e.Error.Message, "build") {
			t.Errorf("got %d %+v, want 400 on cursor naming the build", res.StatusCode, e.Error)
		}
	})
}

// hitsOfEveryFormat runs one query through the HTML page, JSON pages,
// JSONL and CSV, and returns the slugs each gave, in order.
func hitsOfEveryFormat(t *testing.T, s http.Handler, query string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	_, html := get(t, s, "/search?per_page=100&"+query)
	for _, m := range regexp.MustCompile(`<li class="hit">\s*<h\d><a href="/posts/([^"?#]+)`).FindAllStringSubmatch(html, -1) {
		out["html"] = append(out["html"], m[1])
	}
	q, _ := url.ParseQuery(query)
	q.Set("per_page", "3")
	out["json"] = followCursor(t, s, "/api/v1/search", q)

	_, jsonl := get(t, s, "/api/v1/search.jsonl?"+query)
	sc := bufio.NewScanner(strings.NewReader(jsonl))
	for n := 1; sc.Scan(); n++ {
		var line struct {
			Rank int    `json:"rank"`
			Slug string `json:"slug"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Rank != n {
			t.Fatalf("jsonl line %d: %v rank %d: %s", n, err, line.Rank, sc.Text())
		}
		out["jsonl"] = append(out["jsonl"], line.Slug)
	}
	_, body := get(t, s, "/api/v1/search.csv?"+query)
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	for _, r := range recs[1:] {
		out["csv"] = append(out["csv"], r[1])
	}
	return out
}

func TestEveryFormatGivesTheSameHitsInTheSameOrder(t *testing.T) {
	s := newResearchServer(t)
	for _, query := range []string{"q=p2p", "q=note&sort=newest", "q=storage&tag=notes&sort=oldest", "q=filecoin&from=2018&to=2020"} {
		t.Run(query, func(t *testing.T) {
			got := hitsOfEveryFormat(t, s, query)
			want := strings.Join(got["json"], " ")
			if len(got["json"]) < 3 {
				t.Fatalf("only %d hits; the test needs more to mean anything", len(got["json"]))
			}
			for _, f := range []string{"html", "jsonl", "csv"} {
				if g := strings.Join(got[f], " "); g != want {
					t.Errorf("%s:\n%s\nwant (json):\n%s", f, g, want)
				}
			}
		})
	}
}

func TestCSVIsRFC4180WithAHeader(t *testing.T) {
	s := newResearchServer(t)
	res, body := get(t, s, "/api/v1/search.csv?q=note&fields=slug,title,tags,date")
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	lines := strings.Split(body, "\r\n")
	if lines[0] != "rank,slug,title,tags,date,index_build" {
		t.Errorf("header = %q", lines[0])
	}
	build := res.Header.Get("X-Archive-Index")
	want := regexp.MustCompile(`^1,gen-\d\d,"Note \d+, on [a-z0-9]+",[a-z0-9]+; notes,20\d\d-\d\d-10T00:00:00Z,` + build + `$`)
	if !want.MatchString(lines[1]) {
		t.Errorf("first row %q does not quote the comma or join the tags", lines[1])
	}
	if res.Header.Get("X-Total-Count") != fmt.Sprint(len(lines)-2) {
		t.Errorf("X-Total-Count %s, %d rows", res.Header.Get("X-Total-Count"), len(lines)-2)
	}
}

func TestFacetsAndTrendsAgreeWithTotals(t *testing.T) {
	s := newResearchServer(t)
	_, body := get(t, s, "/api/v1/trends?q=filecoin&q=blockchain&interval=month")
	var tr struct {
		Series []struct {
			Q      string
			Total  int
			Points []struct{ Matches, Total int }
		}
	}
	json.Unmarshal([]byte(body), &tr)
	if len(tr.Series) != 2 {
		t.Fatalf("trends: %s", body)
	}
	for _, se := range tr.Series {
		_, sb := get(t, s, "/api/v1/search?facets=year&q="+se.Q)
		p := decodePage(t, sb)
		sum, years := 0, 0
		for _, pt := range se.Points {
			sum += pt.Matches
		}
		for _, y := range p.Facets["year"] {
			years += y.Count
		}
		if sum != p.Total || se.Total != p.Total || years != p.Total {
			t.Errorf("%s: trend points add up to %d (series says %d), year facet to %d; search total %d", se.Q, sum, se.Total, years, p.Total)
		}
	}
}

func TestCORSAndPreflight(t *testing.T) {
	s := newTestServer(t)
	req := httptest.NewRequest(http.MethodOptions, "/api/v1/search?q=x", nil)
	req.Header.Set("Origin", "https://notebook.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "if-none-match")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	h := rec.Header()
	if rec.Code != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") || h.Get("Access-Control-Allow-Headers") != "if-none-match" {
		t.Errorf("preflight: %d %v", rec.Code, h)
	}
	res, _ := get(t, s, "/api/v1/posts/nope")
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), "X-Archive-Index") {
		t.Errorf("an error answer lacks CORS headers: %v", res.Header)
	}
}

func TestEveryResponseNamesTheBuild(t *testing.T) {
	s := newTestServer(t)
	build := s.deps.Index.Manifest().ID
	for _, target := range []string{"/", "/search?q=p2p", "/posts/nope", "/api/v1/nowhere", "/api/v1/search?sort=x", "/api/v1/stats"} {
		res, body := get(t, s, target)
		if res.Header.Get("X-Archive-Index") != build {
			t.Errorf("%s: X-Archive-Index = %q, want %s", target, res.Header.Get("X-Archive-Index"), build)
		}
		if strings.HasPrefix(target, "/api/") && !strings.Contains(body, `"index_build":"`+build+`"`) {
			t.Errorf("%s: body does not name the build: %s", target, body)
		}
	}
}

func TestErrorsCarryNoValidator(t *testing.T) {
	s := newTestServer(t)
	res, _ := get(t, s, "/api/v1/search?per_page=0")
	if res.StatusCode != 400 || res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") != "" {
		t.Errorf("400 answer: ETag %q, Cache-Control %q", res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
	}
}

func TestETagChangesWithTheQuery(t *testing.T) {
	s := newTestServer(t)
	a, _ := get(t, s, "/api/v1/search?q=p2p")
	b, _ := get(t, s, "/api/v1/search?q=filecoin")
	c, _ := get(t, s, "/api/v1/search?q=p2p")
	if a.Header.Get("ETag") == "" || a.Header.Get("ETag") == b.Header.Get("ETag") || a.Header.Get("ETag") != c.Header.Get("ETag") {
		t.Errorf("ETags %q %q %q: want equal for equal queries only", a.Header.Get("ETag"), b.Header.Get("ETag"), c.Header.Get("ETag"))
	}
}

func TestCitations(t *testing.T) {
	s := newServerFor(t, testContent(t), Deps{Site: repoSite(t)}) // the container is the site's title
	tests := []struct {
		format, ctype string
		want          []string
	}{
		{"bibtex", "application/x-bibtex", []string{"@online{" + seedSlug + ",", "author       = {Rhett Sampson}",
			"title        = {{P2P (Peer to Peer) and Blockchain Have Come of Age}}", "date         = {2018-09-20}",
			"url          = {http://example.com/posts/" + seedSlug + "}", "organization = {Blust Archive}", "urldate"}},
		{"ris", "application/x-research-info-systems", []string{"TY  - BLOG\r\n", "AU  - Sampson, Rhett\r\n", "DA  - 2018/09/20/\r\n",
			"UR  - http://example.com/posts/" + seedSlug + "\r\n", "T2  - Blust Archive\r\n", "Y2  - ", "ER  - \r\n"}},
		{"csl-json", "application/vnd.citationstyles.csl+json", []string{`"type":"post-weblog"`, `"author":[{"family":"Sampson","given":"Rhett"}]`,
			`"issued":{"date-parts":[[2018,9,20]]}`, `"container-title":"Blust Archive"`}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			res, body := get(t, s, "/api/v1/posts/"+seedSlug+"/cite?format="+tt.format)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.ctype) {
				t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("citation lacks %q:\n%s", w, body)
				}
			}
		})
	}
}

func TestBibTeXEscapesSpecialCharacters(t *testing.T) {
	got := bibtex(citation{Key: "k", Title: "100% {fun} & $money_#1", Authors: []string{"A & B"}})
	for _, w := range []string{`{{100\% \{fun\} \& \$money\_\#1}}`, `{A \& B}`} {
		if !strings.Contains(got, w) {
			t.Errorf("bibtex lacks %q:\n%s", w, got)
		}
	}
}

// TestBadInputIsNeverAServerError sends odd values for every parameter of
// every API endpoint; each answer must be a success or a 4xx naming a
// parameter, never a 5xx.
func TestBadInputIsNeverAServerError(t *testing.T) {
	s := newResearchServer(t)
	_, body := get(t, s, "/api/v1/search?q=note&per_page=1")
	cursor := *decodePage(t, body).NextCursor
	paths := []string{"/api/v1/search", "/api/v1/search.csv", "/api/v1/search.jsonl", "/api/v1/posts", "/api/v1/trends",
		"/api/v1/posts/" + seedSlug + "/cite", "/api/v1/posts/" + seedSlug + "/related", "/api/v1/tags", "/api/v1/suggest"}
	params := []string{"q", "tag", "author", "from", "to", "sort", "page", "per_page", "cursor", "facets", "facet_size",
		"fields", "highlight", "fragments", "fragment_size", "format", "interval"}
	values := []string{"", "-1", "0", "99999999999999999999", "abc", "ü", "\x00", ",,,", "2018-02-30", "9999-99",
		`"unclosed`, "+-:^~", "*a*", strings.Repeat("x", 3000), cursor, cursor[:len(cursor)/2], "e30"}
	for _, path := range paths {
		for _, p := range params {
			for _, v := range values {
				target := path + "?" + url.Values{p: {v}}.Encode()
				res, body := get(t, s, target)
				if res.StatusCode >= 500 {
					t.Errorf("%.120s: %d %.300s", target, res.StatusCode, body)
					continue
				}
				if res.StatusCode == 400 {
					var e apiErr
					if json.Unmarshal([]byte(body), &e); e.Error.Param == "" {
						t.Errorf("%.120s: 400 without a param: %.300s", target, body)
					}
				}
			}
		}
	}
}

func TestInertCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tindent", "'\tindent"},
		{"-1.5", "-1.5"},
		{"+3", "+3"},
		{"Filecoin = storage", "Filecoin = storage"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := inertCell(tt.in); got != tt.want {
			t.Errorf("inertCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A post whose title and tag are spreadsheet formulas exports them as
// text; the JSONL export, which no spreadsheet runs, keeps them as written.
func TestCSVExportDefusesFormulas(t *testing.T) {
	fs := testContent(t)
	fs["formula.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"click\\\")\"\ndate: 2020-01-02\ntags: [\"@risk\"]\n---\n\nA zanzibarian post.\n")}
	s := newServerFor(t, fs, Deps{})
	_, body := get(t, s, "/api/v1/search.csv?q=zanzibarian&fields=title,tags")
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv: %v, %d records:\n%s", err, len(recs), body)
	}
	if got, want := recs[1][1], `'=HYPERLINK("http://evil.example","click")`; got != want {
		t.Errorf("title cell = %q, want %q", got, want)
	}
	if got, want := recs[1][2], "'@risk"; got != want {
		t.Errorf("tags cell = %q, want %q", got, want)
	}
	_, jl := get(t, s, "/api/v1/search.jsonl?q=zanzibarian&fields=title")
	if !strings.Contains(jl, `"title":"=HYPERLINK(`) {
		t.Errorf("jsonl changed the title: %s", jl)
	}
}

// HEAD on an export answers with the headers of the GET, the total among
// them, and fetches no rows.
func TestHeadOnExportSendsHeadersOnly(t *testing.T) {
	s := newResearchServer(t)
	for _, path := range []string{"/api/v1/search.csv?q=note", "/api/v1/search.jsonl?q=note", "/api/v1/posts?format=csv"} {
		t.Run(path, func(t *testing.T) {
			get := do(t, s, http.MethodGet, path, nil)
			head := do(t, s, http.MethodHead, path, nil)
			if head.Code != http.StatusOK || head.Body.Len() != 0 {
				t.Errorf("HEAD = %d with %d body bytes, want 200 and none", head.Code, head.Body.Len())
			}
			for _, h := range []string{"X-Total-Count", "Content-Type", "X-Archive-Index"} {
				if got, want := head.Header().Get(h), get.Header().Get(h); got != want || want == "" {
					t.Errorf("HEAD %s = %q, GET has %q", h, got, want)
				}
			}
		})
	}
}
