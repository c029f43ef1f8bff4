package web

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// A filter without words lists newest first, as the page's current order
// (Newest) says, and not by how strongly a post holds its tag: the older
// post here has the tag alone, which scores higher than the newer post's
// tag among five.
func TestFilterWithoutWordsListsNewestFirst(t *testing.T) {
	post := func(title, date, tags string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: " + date + "\ntags: [" + tags + "]\n---\n\nSome text.\n")}
	}
	s := newServerFor(t, fstest.MapFS{
		"older.md": post("Older", "2020-01-01", "ops"),
		"newer.md": post("Newer", "2024-01-01", "ops, alpha, beta, gamma, delta"),
	}, Deps{})
	for _, target := range []string{"/api/v1/search?tag=ops", "/api/v1/search?tag=ops&sort=relevance"} {
		_, body := get(t, s, target)
		var res struct {
			Sort string `json:"sort"`
			Hits []struct {
				Slug string `json:"slug"`
			} `json:"hits"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("%s: %v\n%s", target, err, body)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Slug)
		}
		if strings.Join(got, ",") != "newer,older" || res.Sort != "newest" {
			t.Errorf("%s: order %v, sort %q; want newer,older by newest", target, got, res.Sort)
		}
	}
	_, page := get(t, s, "/search?tag=ops")
	if i, j := strings.Index(page, "/posts/newer"), strings.Index(page, "/posts/older"); i < 0 || j < 0 || i > j {
		t.Errorf("the page lists older before newer (%d, %d)", i, j)
	}
}
