package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestTrendsAddUpToTheSearchTotal(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tr, err := ix.Trends(context.Background(), TrendRequest{Queries: []string{"filecoin", "libp2p", ""}, Interval: IntervalYear})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Series) != 3 || tr.BuildID == "" {
		t.Fatalf("trends = %+v, want 3 series and a build", tr)
	}
	for _, s := range tr.Series {
		t.Run(s.Query, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: s.Query})
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			var periods []string
			for _, p := range s.Points {
				sum += p.Matches
				periods = append(periods, p.Period)
				if p.Matches > p.Total {
					t.Errorf("%s: %d matches of %d posts", p.Period, p.Matches, p.Total)
				}
			}
			if uint64(sum) != res.Total || s.Total != res.Total {
				t.Errorf("matches add up to %d, series total %d, search total %d", sum, s.Total, res.Total)
			}
			if got, want := strings.Join(periods, " "), "2018 2019 2020 2021 2022"; got != want {
				t.Errorf("periods = %s, want %s (empty years included)", got, want)
			}
		})
	}
	all := tr.Series[2]
	if fmt.Sprint(all.Points[1]) != fmt.Sprint(TrendPoint{"2019", date(2019, 1), date(2020, 1), 0, 0}) {
		t.Errorf("2019 = %+v, want an empty year", all.Points[1])
	}
}

func date(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }

func TestTrendsByMonthWithinDates(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(40))
	tr, err := ix.Trends(context.Background(), TrendRequest{
		Queries: []string{"filecoin"}, Interval: IntervalMonth, From: date(2016, 11), To: date(2017, 2).AddDate(0, 0, -1),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range tr.Series[0].Points {
		got = append(got, fmt.Sprintf("%s:%d/%d", p.Period, p.Matches, p.Total))
	}
	if want := "2016-11:2/3 2016-12:1/3 2017-01:2/3"; strings.Join(got, " ") != want {
		t.Errorf("points = %v, want %s", got, want)
	}
}

func TestTrendsRefuseBadRequests(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	for _, tt := range []struct {
		req   TrendRequest
		param string
	}{
		{TrendRequest{Queries: []string{"x"}, Interval: "week"}, "interval"},
		{TrendRequest{Interval: IntervalYear}, "q"},
		{TrendRequest{Queries: make([]string, MaxTrendQueries+1), Interval: IntervalYear}, "q"},
		{TrendRequest{Queries: []string{"x"}, Interval: IntervalYear, From: date(2020, 1), To: date(2019, 1)}, "to"},
	} {
		_, err := ix.Trends(context.Background(), tt.req)
		var re *RequestError
		if !errors.As(err, &re) || re.Param != tt.param {
			t.Errorf("Trends(%+v) err = %v, want a RequestError on %s", tt.req, err, tt.param)
		}
	}
}

func TestRelatedSharesTagsAndTermsAndSkipsItself(t *testing.T) {
	post := func(title, date, tags, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: " + date + "\ntags: " + tags + "\n---\n\n" + body + "\n")}
	}
	content := fstest.MapFS{
		"gossip.md":    post("Gossipsub hardening", "2020-01-01", "[libp2p]", "Gossipsub mesh peers score attackers. Gossipsub mesh mesh."),
		"gossip-2.md":  post("Gossipsub v1.1", "2020-06-01", "[libp2p]", "The gossipsub mesh now scores peers."),
		"mesh.md":      post("Mesh networks", "2019-01-01", "[wifi]", "A mesh of radios; gossipsub is unrelated."),
		"filecoin.md":  post("Filecoin deals", "2021-01-01", "[filecoin]", "Storage deals and miners."),
		"filecoin2.md": post("More deals", "2021-02-01", "[filecoin]", "Retrieval deals and miners."),
		"libp2p.md":    post("libp2p release", "2021-03-01", "[libp2p]", "Release notes for libp2p."),
	}
	_, ix, _ := buildTestIndex(t, content)
	hits, err := ix.Related(context.Background(), "gossip", 5)
	if err != nil {
		t.Fatal(err)
	}
	got := slugs(hits)
	if len(got) < 3 || got[0] != "gossip-2" || contains(got, "gossip") {
		t.Fatalf("related = %v, want gossip-2 first and never gossip itself", got)
	}
	if !contains(got, "mesh") || !contains(got, "libp2p") {
		t.Errorf("related = %v, want mesh (shared terms) and libp2p (shared tag)", got)
	}
	if contains(got, "filecoin") {
		t.Errorf("related = %v, want nothing from an unrelated post", got)
	}
	if few, _ := ix.Related(context.Background(), "gossip", 1); len(few) != 1 {
		t.Errorf("n=1 gave %d hits", len(few))
	}
	if _, err := ix.Related(context.Background(), "nope", 5); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown slug: err = %v, want ErrNotFound", err)
	}
}
