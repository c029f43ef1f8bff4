package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/blust/archive/internal/qlang"
)

func TestMalformedQueriesAre400WithAPosition(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		q, mode string
		pos     int
	}{
		{`filecoin "storage`, "", 9},
		{"(filecoin OR ipfs", "advanced", 0},
		{"ipfs)", "", 4},
		{"titel:filecoin", "", 0},
		{"filecoin date:2018-13", "auto", 14},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			v := url.Values{"q": {tt.q}}
			if tt.mode != "" {
				v.Set("mode", tt.mode)
			}
			res, body := get(t, s, "/api/v1/search?"+v.Encode())
			var e struct {
				Error struct {
					Code, Message, Param string
					Position             *int
				}
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("not the JSON error shape: %v\n%s", err, body)
			}
			if res.StatusCode != 400 || e.Error.Code != "bad_query" || e.Error.Param != "q" || e.Error.Position == nil || *e.Error.Position != tt.pos {
				t.Errorf("got %d %+v, want 400 bad_query on q at %d", res.StatusCode, e.Error, tt.pos)
			}
			res, page := get(t, s, "/search?"+v.Encode())
			if res.StatusCode != 400 || !strings.Contains(page, `class="query-where"`) || !strings.Contains(page, "<mark>") {
				t.Errorf("search page: status %d, want 400 pointing at the place", res.StatusCode)
			}
			v.Set("mode", "plain")
			if res, body := get(t, s, "/api/v1/search?"+v.Encode()); res.StatusCode != 200 {
				t.Errorf("mode=plain: status %d, want 200: %s", res.StatusCode, body)
			}
		})
	}
}

func TestUnknownModeIsABadParameter(t *testing.T) {
	s := newTestServer(t)
	res, body := get(t, s, "/api/v1/search?q=p2p&mode=fuzzy")
	if res.StatusCode != 400 || !strings.Contains(body, `"param":"mode"`) {
		t.Errorf("mode=fuzzy: %d %s, want 400 on mode", res.StatusCode, body)
	}
}

func TestQueryEchoAndSuggestionInJSON(t *testing.T) {
	s := newTestServer(t)
	_, body := get(t, s, "/api/v1/search?q=filecion")
	var out struct {
		Query struct {
			Text, Mode, Asked, Parsed string
			Tree                      *qlang.Tree
			Expansions                []struct {
				Text, Kind string
				Into       []string
			}
		}
		Suggestion string
		Corrected  bool
		Total      int
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if out.Suggestion != "filecoin" || !out.Corrected || out.Total == 0 {
		t.Errorf("suggestion %q corrected %v total %d, want results for filecoin", out.Suggestion, out.Corrected, out.Total)
	}
	if out.Query.Text != "filecion" || out.Query.Asked != "auto" || out.Query.Tree == nil || len(out.Query.Expansions) != 1 || out.Query.Expansions[0].Kind != "correction" {
		t.Errorf("query echo = %+v, want the text, the tree and the correction", out.Query)
	}
}

func TestSearchPageShowsTheCorrection(t *testing.T) {
	s := newTestServer(t)
	_, page := get(t, s, "/search?q=filecion&tag=filecoin")
	for _, want := range []string{
		"Showing results for <strong><em>filecoin</em></strong>",
		`search instead for <a href="/search?correct=false&amp;q=filecion&amp;tag=filecoin"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	_, literal := get(t, s, "/search?q=filecion&correct=false")
	if strings.Contains(literal, "Showing results for") || !strings.Contains(literal, "No posts match") {
		t.Error("correct=false still corrected the query")
	}
	_, advanced := get(t, s, "/search?q=filecion&mode=advanced")
	if !strings.Contains(advanced, "Did you mean") || !strings.Contains(advanced, "mode=advanced") {
		t.Error("advanced mode: want a did-you-mean link that keeps the mode")
	}
}

func TestSuggestionIsEscaped(t *testing.T) {
	s := newTestServer(t)
	_, page := get(t, s, "/search?"+url.Values{"q": {"<b>filecion</b>"}}.Encode())
	if strings.Contains(page, "<b>filecion") || strings.Contains(page, "<b>Filecoin") {
		t.Error("the query reached the page unescaped")
	}
}

func TestHelpPage(t *testing.T) {
	s := newTestServer(t)
	res, page := get(t, s, "/help/search")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{"How to search", `id="operators"`, `id="dates"`, `id="modes"`, "date:2018..", "correct=false", `aria-current="page">Search help`} {
		if !strings.Contains(page, want) {
			t.Errorf("help page lacks %q", want)
		}
	}
}

// TestHelpExamplesRun keeps the help page honest: every example parses in
// its mode and runs.
func TestHelpExamplesRun(t *testing.T) {
	s := newTestServer(t)
	for _, sec := range helpSections(helpWordsOf(context.Background(), s.deps.Index)) {
		for _, ex := range sec.Examples {
			t.Run(ex.Query, func(t *testing.T) {
				if _, err := qlang.Parse(ex.Query, ex.Mode); err != nil {
					t.Fatalf("example %q does not parse: %v", ex.Query, err)
				}
				if res, body := get(t, s, ex.URL()); res.StatusCode != 200 {
					t.Errorf("%s: status %d: %.200s", ex.URL(), res.StatusCode, body)
				}
			})
		}
	}
}

// A reader refining a query from the results page keeps the mode it was
// read in; the default mode adds nothing to the form.
func TestSearchFormKeepsTheMode(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		mode, want string
	}{
		{"plain", `<input type="hidden" name="mode" value="plain">`},
		{"advanced", `<input type="hidden" name="mode" value="advanced">`},
		{"auto", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run("mode="+tt.mode, func(t *testing.T) {
			_, page := get(t, s, "/search?"+url.Values{"q": {"filecoin"}, "mode": {tt.mode}}.Encode())
			got := strings.Count(page, `name="mode"`)
			if tt.want == "" && got != 0 {
				t.Errorf("mode=%q: the form carries a mode field, want none", tt.mode)
			}
			if tt.want != "" && !strings.Contains(page, tt.want) {
				t.Errorf("mode=%q: the form lacks %s", tt.mode, tt.want)
			}
		})
	}
}
