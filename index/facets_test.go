package index

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	tests := []struct {
		name        string
		iv          Interval
		first, last string
		want        string
	}{
		{"years", IntervalYear, "2016-05-01T00:00:00Z", "2018-01-01T00:00:00Z", "[2016 2017 2018]"},
		{"one year", IntervalYear, "2016-05-01T00:00:00Z", "2016-05-01T00:00:00Z", "[2016]"},
		{"months over a new year", IntervalMonth, "2016-11-30T23:00:00Z", "2017-02-01T00:00:00Z", "[2016-11 2016-12 2017-01 2017-02]"},
		{"other zones are UTC", IntervalYear, "2017-01-01T00:30:00+01:00", "2017-01-01T00:30:00+01:00", "[2016]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			ps := periods(tt.iv, day(tt.first), day(tt.last))
			for i, p := range ps {
				names = append(names, p.Name)
				if i > 0 && !p.Start.Equal(ps[i-1].End) {
					t.Errorf("gap between %s and %s", ps[i-1].Name, p.Name)
				}
			}
			if got := fmt.Sprint(names); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestYearAndMonthFacetsCountTheWholeSet(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(40)) // 36 posts in 2016, 4 in 2017
	res, err := ix.Search(context.Background(), Request{Size: 1, Facets: []string{FacetYear, FacetMonth}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(res.Facets[FacetYear]), "[{2016 36} {2017 4}]"; got != want {
		t.Errorf("year facet = %s, want %s", got, want)
	}
	months := res.Facets[FacetMonth]
	if len(months) != 14 || months[0] != (FacetCount{"2016-01", 3}) || months[13] != (FacetCount{"2017-02", 1}) {
		t.Errorf("month facet = %v, want 14 months from 2016-01 (3) to 2017-02 (1)", months)
	}
	filtered, _ := ix.Search(context.Background(), Request{Size: 1, Tags: []string{"filecoin"}, Facets: []string{FacetYear, FacetTags}})
	if got, want := fmt.Sprint(filtered.Facets[FacetYear]), "[{2016 18} {2017 2}]"; got != want {
		t.Errorf("year facet of tag filecoin = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(filtered.Facets[FacetTags]), "[{filecoin 20} {p2p 20}]"; got != want {
		t.Errorf("tags facet = %s, want %s (ties by name)", got, want)
	}
}

func TestFacetSizeCutsValueFacets(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(8))
	res, _ := ix.Search(context.Background(), Request{Facets: []string{FacetAuthors}, FacetSize: 2})
	if got, want := fmt.Sprint(res.Facets[FacetAuthors]), "[{Author 0 2} {Author 1 2}]"; got != want {
		t.Errorf("authors facet = %s, want %s", got, want)
	}
	_, err := ix.Search(context.Background(), Request{Facets: []string{FacetAuthors}, FacetSize: MaxFacetSize + 1})
	var re *RequestError
	if !errors.As(err, &re) || re.Param != "facet_size" {
		t.Errorf("err = %v, want a RequestError on facet_size", err)
	}
}

func TestValuesListsEveryTagAndAuthor(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(9))
	tags, err := ix.Values(context.Background(), FacetTags)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(tags), "[{p2p 9} {filecoin 5}]"; got != want {
		t.Errorf("tags = %s, want %s", got, want)
	}
	authors, _ := ix.Values(context.Background(), FacetAuthors)
	if got, want := fmt.Sprint(authors), "[{Author 0 3} {Author 1 2} {Author 2 2} {Author 3 2}]"; got != want {
		t.Errorf("authors = %s, want %s", got, want)
	}
	var re *RequestError
	if _, err := ix.Values(context.Background(), FacetYear); !errors.As(err, &re) {
		t.Errorf("Values(year) err = %v, want a RequestError", err)
	}
}

func TestStatsDescribeTheBuild(t *testing.T) {
	_, ix, rep := buildTestIndex(t, tiedContent(12))
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != rep.ID || st.DocCount != 12 || st.Fingerprint == "" || st.BuiltAt.IsZero() {
		t.Errorf("stats = %+v, want build %s with 12 posts and a fingerprint", st, rep.ID)
	}
	if st.SizeBytes < 1000 {
		t.Errorf("SizeBytes = %d, want the size of a real index", st.SizeBytes)
	}
	if got := st.First.Format("2006-01-02") + " " + st.Last.Format("2006-01-02"); got != "2016-01-15 2016-04-15" {
		t.Errorf("span = %s, want 2016-01-15 2016-04-15", got)
	}
}
