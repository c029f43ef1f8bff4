package fts5

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/internal/gen"
)

func TestMatch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ipfs", `"ipfs"`},
		{"api search", `"api" AND "search"`},
		{`"peer to peer" streaming`, `"peer to peer" AND "streaming"`},
		{"stream* webrtc", `"stream"* AND "webrtc"`},
		{"tag:p2p tag:webrtc", `tags : "p2p" AND tags : "webrtc"`},
		{`title:"video streaming"`, `title : "video streaming"`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Match(gen.Query{Text: tc.in}); got != tc.want {
				t.Errorf("Match(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

// TestBuildAndSearch needs SQLite with FTS5 (go test -tags sqlite_fts5);
// .ci/run runs it that way.
func TestBuildAndSearch(t *testing.T) {
	ctx := context.Background()
	s := testSearcher(t,
		Doc{Slug: "a", Title: "Streaming video", Body: "peers stream video over webrtc", Tags: "streaming"},
		Doc{Slug: "b", Title: "IPFS pinning", Body: "content addressing with ipfs and a distributed hash table", Tags: "ipfs"},
		Doc{Slug: "c", Title: "Notes", Body: "nothing about the topic, only streams", Tags: "misc"})
	for _, tc := range []struct {
		q    string
		want int
	}{{"stream*", 2}, {`"distributed hash table"`, 1}, {"tag:ipfs", 1}, {"streaming video", 1}, {"zzyzx", 0}} {
		match := Match(gen.Query{Text: tc.q})
		got, err := s.Count(ctx, match)
		if err != nil || got != tc.want {
			t.Errorf("Count(%s) = %d, %v; want %d", match, got, err, tc.want)
		}
		if rows, err := s.Top10(ctx, match, true); err != nil || rows != tc.want {
			t.Errorf("Top10(%s) = %d rows, %v; want %d", match, rows, err, tc.want)
		}
	}
}

// An export reads every match in rank or date order; month counts group
// the matches, or all posts, by the first seven characters of the date.
func TestExportAndMonthCounts(t *testing.T) {
	ctx := context.Background()
	s := testSearcher(t,
		Doc{Slug: "old", Title: "Peers", Body: "p2p networks", Date: "2019-03-02"},
		Doc{Slug: "new", Title: "p2p p2p", Body: "p2p everywhere, p2p", Date: "2019-05-20"},
		Doc{Slug: "mid", Title: "More peers", Body: "a p2p note", Date: "2019-03-28"},
		Doc{Slug: "off", Title: "Other", Body: "nothing here", Date: "2019-04-01"})
	for _, byDate := range []bool{false, true} {
		if n, err := s.Export(ctx, Term("p2p"), byDate); err != nil || n != 3 {
			t.Errorf("Export(p2p, byDate %v) = %d, %v; want 3 rows", byDate, n, err)
		}
	}
	got, err := s.MonthCounts(ctx, Term("p2p"))
	if err != nil || fmt.Sprint(got) != "map[2019-03:2 2019-05:1]" {
		t.Errorf("MonthCounts(p2p) = %v, %v", got, err)
	}
	all, err := s.MonthCounts(ctx, "")
	if err != nil || fmt.Sprint(all) != "map[2019-03:2 2019-04:1 2019-05:1]" {
		t.Errorf("MonthCounts(all) = %v, %v", all, err)
	}
}

// testSearcher indexes docs in a new database and opens a searcher on it,
// both closed when t ends. It skips t where SQLite lacks FTS5 (go test
// -tags sqlite_fts5 has it; .ci/run runs these tests that way).
func testSearcher(t *testing.T, docs ...Doc) *Searcher {
	t.Helper()
	ctx := context.Background()
	db, err := Create(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil && strings.Contains(err.Error(), "without FTS5") {
		t.Skip("SQLite built without FTS5; run with -tags sqlite_fts5")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in := make(chan Doc, len(docs))
	for _, d := range docs {
		in <- d
	}
	close(in)
	if n, err := db.Insert(ctx, in); err != nil || n != len(docs) {
		t.Fatalf("Insert = %d, %v; want %d, nil", n, err, len(docs))
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := db.Searcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
