package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestNotFoundQuery(t *testing.T) {
	for path, want := range map[string]string{
		"/posts/filecoin-storage-deals":     "filecoin storage deals",
		"/en/topics/timelocks/":             "timelocks",
		"/blog/2019/11/07/":                 "blog",
		"/2019/11/07/":                      "",
		"/news/launch_day.html":             "launch day",
		"/old/index.php":                    "index",
		"/":                                 "",
		"/a/" + strings.Repeat("word-", 60): strings.TrimSpace(strings.Repeat("word ", 20)),
	} {
		if got := notFoundQuery(path); got != want {
			t.Errorf("notFoundQuery(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestNotFoundOffersTheAddressWords: the 404 page's search box holds the
// words of the missing address, escaped, ready to search.
func TestNotFoundOffersTheAddressWords(t *testing.T) {
	s := newServerFor(t, fstest.MapFS{"a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-01\n---\n\nText.\n")}}, Deps{})
	for target, want := range map[string]string{
		"/en/topics/timelocks/":    `value="timelocks"`,
		"/x/%3Cscript%3Ealert-me/": `value="&lt;script&gt;alert me"`,
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d, want 404 with %s", target, rec.Code, want)
		}
	}
}
