package testshared

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands in for a test, to see whether Dir skipped or failed.
type recorder struct {
	testing.TB
	skipped, failed, logged, announced string
}

func (r *recorder) announce(line string) { r.announced += line }

func (r *recorder) Helper()                   {}
func (r *recorder) Skip(args ...any)          { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...) }
func (r *recorder) Logf(f string, a ...any)   { r.logged = fmt.Sprintf(f, a...) }

func TestPathIsTheSharedFolderBesideTheRepository(t *testing.T) {
	got, err := path("corpus/ipfs-blog")
	if err != nil {
		t.Fatal(err)
	}
	// This package is two folders below the repository's root.
	if want := "../../../shared/corpus/ipfs-blog"; got != want {
		t.Errorf("path = %q, want %q", got, want)
	}
}

func TestMissingSharedDataSkipsOrFails(t *testing.T) {
	const rel = "no-such-folder-h-own"
	tests := []struct {
		require                     string
		wantSkip, wantFail, wantLog bool
		wantAnnounced               string
		call                        func(tb testing.TB)
	}{
		{"", true, false, false, "testshared: internal/testshared " + t.Name() + " skipped: needs ../shared/" + rel + ", which is not beside the repository\n",
			func(tb testing.TB) { Dir(tb, rel) }},
		{"1", false, true, false, "", func(tb testing.TB) { Dir(tb, rel) }},
		{"", false, false, true, "testshared: internal/testshared " + t.Name() + " runs without ../shared/" + rel + ", which is not beside the repository\n",
			func(tb testing.TB) {
				if _, ok := Has(tb, rel); ok {
					tb.Errorf("Has(%q) = true", rel)
				}
			}},
		{"1", false, true, false, "", func(tb testing.TB) { Has(tb, rel) }},
	}
	for _, tt := range tests {
		t.Setenv(RequireEnv, tt.require)
		r := &recorder{TB: t}
		tt.call(r)
		if r.announced != tt.wantAnnounced {
			t.Errorf("%s=%q: announced %q, want %q", RequireEnv, tt.require, r.announced, tt.wantAnnounced)
		}
		for _, c := range []struct {
			what string
			got  string
			want bool
		}{{"skip", r.skipped, tt.wantSkip}, {"failure", r.failed, tt.wantFail}, {"log", r.logged, tt.wantLog}} {
			if (c.got != "") != c.want {
				t.Errorf("%s=%q: %s = %q, want one: %v", RequireEnv, tt.require, c.what, c.got, c.want)
			}
			if c.got != "" && !strings.Contains(c.got, "../shared/"+rel) {
				t.Errorf("%s %q does not name the folder", c.what, c.got)
			}
		}
	}
}

func TestDirFindsWhatIsThere(t *testing.T) {
	// The repository's own go.mod, reached through ../shared/.., stands in
	// for shared data: Dir only checks that the path exists.
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(RequireEnv, "1")
	r := &recorder{TB: t}
	got := Dir(r, "../"+filepath.Base(root)+"/go.mod")
	if r.failed != "" || r.skipped != "" {
		t.Fatalf("Dir failed or skipped on a path that exists: %q %q", r.failed, r.skipped)
	}
	if want := "../../../" + filepath.Base(root) + "/go.mod"; got != want {
		t.Errorf("Dir = %q, want %q", got, want)
	}
}
