package post

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSourceRoundTrips(t *testing.T) {
	tests := []struct {
		name string
		src  Source
	}{
		{"minimal", Source{Title: "Hello", Date: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), Body: "Hi."}},
		{"everything", Source{Title: `Quotes "and" colons: # hash`, Date: time.Date(2019, 12, 30, 8, 30, 0, 0, time.FixedZone("", 3600)),
			Slug: "custom-slug", Authors: []string{"Ada Lovelace", "Grace Hopper"}, Tags: []string{"p2p", "web 3"},
			Summary: "A summary: with colon", Aliases: []string{"/2019/12/old/"}, Draft: true, Body: "# Head\n\nText *em*.\n"}},
		{"one author, tricky title", Source{Title: "- yes: no", Date: time.Date(2018, 9, 20, 0, 0, 0, 0, time.UTC),
			Authors: []string{"Rhett Sampson"}, Body: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md, err := tt.src.Markdown()
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse("x.md", md)
			if err != nil {
				t.Fatalf("Parse(Markdown()) = %v\n%s", err, md)
			}
			s := tt.src
			if p.Title != s.Title || !p.Date.Equal(wallClock(s.Date)) || p.Draft != s.Draft || p.Summary != s.Summary ||
				!slices.Equal(p.Authors, s.Authors) || !slices.Equal(p.Tags, s.Tags) ||
				strings.TrimSpace(string(p.Body)) != strings.TrimSpace(s.Body) {
				t.Errorf("round trip changed the post:\n got %+v\nfrom %s", p, md)
			}
			if s.Slug != "" && p.Slug != s.Slug {
				t.Errorf("slug = %q, want %q", p.Slug, s.Slug)
			}
			if len(s.Aliases) > 0 && !slices.Contains(p.Aliases, s.Aliases[0]) {
				t.Errorf("aliases = %v, want %v", p.Aliases, s.Aliases)
			}
		})
	}
}

func TestSourceNeedsTitleAndDate(t *testing.T) {
	if _, err := (Source{Date: time.Now()}).Markdown(); err == nil {
		t.Error("no title: no error")
	}
	if _, err := (Source{Title: "x"}).Markdown(); err == nil {
		t.Error("no date: no error")
	}
}
