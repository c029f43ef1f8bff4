package fts5

import (
	"context"
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
	db, err := Create(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil && strings.Contains(err.Error(), "without FTS5") {
		t.Skip("SQLite built without FTS5; run with -tags sqlite_fts5")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	docs := make(chan Doc, 3)
	docs <- Doc{Slug: "a", Title: "Streaming video", Body: "peers stream video over webrtc", Tags: "streaming"}
	docs <- Doc{Slug: "b", Title: "IPFS pinning", Body: "content addressing with ipfs and a distributed hash table", Tags: "ipfs"}
	docs <- Doc{Slug: "c", Title: "Notes", Body: "nothing about the topic, only streams", Tags: "misc"}
	close(docs)
	if n, err := db.Insert(ctx, docs); err != nil || n != 3 {
		t.Fatalf("Insert = %d, %v; want 3, nil", n, err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := db.Searcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
