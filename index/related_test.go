package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// manyTagsContent is a post with n tags, and a second post sharing the first
// of them, so Related has something to find.
func manyTagsContent(n int) fstest.MapFS {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = fmt.Sprintf("t%04d", i)
	}
	return fstest.MapFS{
		"tagged.md": {Data: []byte("---\ntitle: Many tags\ndate: 2020-01-01\ntags: [" + strings.Join(tags, ", ") +
			"]\n---\n\nA post about storage markets and retrieval.\n")},
		"sibling.md":  {Data: []byte("---\ntitle: A sibling\ndate: 2020-01-02\ntags: [t0000]\n---\n\nAnother post about storage markets.\n")},
		"stranger.md": {Data: []byte("---\ntitle: A stranger\ndate: 2020-01-03\ntags: [elsewhere]\n---\n\nNothing in common here.\n")},
	}
}

// A clause per tag made a post with more than about 1,020 tags fail to
// open (bleve's TooManyClauses, a 500 for its article page).
func TestRelatedOfAPostWithThousandsOfTags(t *testing.T) {
	_, ix, _ := buildTestIndex(t, manyTagsContent(1100))
	hits, err := ix.Related(context.Background(), "tagged", 5)
	if err != nil {
		t.Fatalf("Related: %v", err)
	}
	if got := slugs(hits); len(got) == 0 || got[0] != "sibling" {
		t.Errorf("related = %v, want the sibling first", got)
	}
}
