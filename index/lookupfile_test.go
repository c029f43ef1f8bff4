package index

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLookupFileAndAlias: a post is found by the file it was read from,
// by an old address and by its title's key, exactly; anything else is
// ErrNotFound.
func TestLookupFileAndAlias(t *testing.T) {
	_, ix, _ := buildTestIndex(t, fstest.MapFS{
		"blog/2024-09-13-one.md": {Data: []byte("---\ntitle: One\ndate: 2024-09-13\nslug: first\naliases: [/old/one/]\n---\n\nText.\n")},
		"two.md":                 {Data: []byte("---\ntitle: Two\ndate: 2024-09-14\n---\n\nText.\n")},
	})
	ctx := context.Background()
	for _, tt := range []struct{ file, want string }{
		{"blog/2024-09-13-one.md", "first"},
		{"two.md", "two"},
		{"2024-09-13-one.md", ""},
		{"blog/2024-09-13-ONE.md", ""},
		{"", ""},
		{strings.Repeat("a/", MaxFileLen) + "x.md", ""},
	} {
		got, err := ix.LookupFile(ctx, tt.file)
		if tt.want == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("LookupFile(%.40q) = %q, %v; want ErrNotFound", tt.file, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("LookupFile(%q) = %q, %v; want %q", tt.file, got, err, tt.want)
		}
	}
	if got, err := ix.LookupAlias(ctx, "/old/one"); err != nil || got != "first" {
		t.Errorf("LookupAlias(/old/one) = %q, %v; want first", got, err)
	}
	if _, err := ix.LookupAlias(ctx, "/old/two"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LookupAlias(/old/two): %v, want ErrNotFound", err)
	}
	if got, err := ix.LookupTitle(ctx, "two"); err != nil || got != "two" {
		t.Errorf("LookupTitle(two) = %q, %v; want two", got, err)
	}
	for _, key := range []string{"", "Two", "tw", "one two"} {
		if got, err := ix.LookupTitle(ctx, key); !errors.Is(err, ErrNotFound) {
			t.Errorf("LookupTitle(%q) = %q, %v; want ErrNotFound", key, got, err)
		}
	}
}
