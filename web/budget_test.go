package web

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// tagQuery is /search with n distinct tags, each of the given length.
func tagQuery(n, length int) string {
	v := url.Values{"q": {"p2p"}}
	for i := range n {
		name := fmt.Sprintf("tagx%03da", i)
		v.Add("tag", name+strings.Repeat("z", max(0, length-len(name))))
	}
	return "/search?" + v.Encode()
}

// Repro of issue 17 item 1: 3,000 tags made a 123 MB page. Past the cap a
// repeated parameter is a 400 that names it; a tag longer than the filter
// limit is refused the same way.
func TestRepeatedParametersAreCapped(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	tests := []struct {
		target, param, limit string
	}{
		{tagQuery(MaxRepeatedParam+1, 8), "tag", limitRepeat},
		{tagQuery(3000, 8), "tag", limitRepeat},
		{"/api/v1/search?" + strings.Repeat("author=a&", MaxRepeatedParam+1), "author", limitRepeat},
		{"/api/v1/search?" + strings.Repeat("fields=slug&", MaxRepeatedParam+1), "fields", limitRepeat},
		{"/search.atom?" + strings.Repeat("tag=a&", MaxRepeatedParam+1), "tag", limitRepeat},
		{"/search?tag=" + strings.Repeat("x", MaxFilterLength+1), "tag", "length"},
		{"/api/v1/search?author=" + strings.Repeat("x", MaxFilterLength+1), "author", "length"},
	}
	var many []string
	for i := range MaxParams + 1 {
		many = append(many, fmt.Sprintf("p%d=1", i))
	}
	tests = append(tests, struct{ target, param, limit string }{"/api/v1/search?" + strings.Join(many, "&"), "", limitParamCount})
	for _, tt := range tests {
		rec := do(t, s, http.MethodGet, tt.target, nil)
		body := rec.Body.String()
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%.60s… = %d, want 400", tt.target, rec.Code)
			continue
		}
		if strings.HasPrefix(tt.target, "/api/") {
			if (tt.param != "" && !strings.Contains(body, `"param":"`+tt.param+`"`)) || !strings.Contains(body, `"limit":"`+tt.limit+`"`) {
				t.Errorf("%.60s…: body %.300s lacks param %s and limit %s", tt.target, body, tt.param, tt.limit)
			}
		} else if !strings.Contains(body, tt.param) {
			t.Errorf("%.60s…: page does not name %s: %.300s", tt.target, tt.param, body)
		}
		if len(body) > 64<<10 {
			t.Errorf("%.60s…: a refusal of %d bytes", tt.target, len(body))
		}
	}
	if rec := do(t, s, http.MethodGet, tagQuery(MaxRepeatedParam, 8), nil); rec.Code != http.StatusOK {
		t.Errorf("%d tags = %d, want 200", MaxRepeatedParam, rec.Code)
	}
}

// The page's links to drop one filter must not each repeat all the
// others: a tag's value appears as often with 20 active tags as with 10.
func TestRemovingAFilterIsNotQuadratic(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	count := func(n int) (int, int) {
		rec := do(t, s, http.MethodGet, tagQuery(n, 8), nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%d tags = %d", n, rec.Code)
		}
		return strings.Count(rec.Body.String(), "tagx000a"), rec.Body.Len()
	}
	c10, b10 := count(10)
	c20, b20 := count(20)
	if c20 > c10+2 {
		t.Errorf("tag 0 appears %d times with 10 tags and %d with 20: each remove link repeats every tag", c10, c20)
	}
	if b20 > 2*b10 {
		t.Errorf("page is %d bytes with 10 tags, %d with 20", b10, b20)
	}
	t.Logf("10 tags: %d bytes (tag 0 ×%d); 20 tags: %d bytes (×%d)", b10, c10, b20, c20)
}

// Dropping a filter goes through ?drop= and lands on the clean address.
func TestDropFilterRedirects(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	tests := []struct{ target, want string }{
		{"/search?q=p2p&tag=a&tag=b&drop=tag:a", "/search?q=p2p&tag=b"},
		{"/search?q=p2p&author=X&tag=b&drop=author", "/search?q=p2p&tag=b"},
		{"/search?q=p2p&from=2018&to=2018&drop=date", "/search?q=p2p"},
		{"/search?tag=a&drop=tag:a", "/search"},
	}
	for _, tt := range tests {
		rec := do(t, s, http.MethodGet, tt.target, nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tt.want {
			t.Errorf("%s = %d → %q, want 303 → %q", tt.target, rec.Code, rec.Header().Get("Location"), tt.want)
		}
	}
}

// Rendering is inside the request's budget: a page whose deadline has
// passed by the time it is rendered is a 503 saying so, not a 200.
func TestRenderingIsInsideTheBudget(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	c.Request = httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	s.page(c, http.StatusOK, "home", homePage{})
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "time budget") {
		t.Errorf("page past its deadline = %d %.200q, want 503 naming the time budget", rec.Code, rec.Body.String())
	}
}

// A page larger than the bound is refused, never sent.
func TestPageSizeIsBounded(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), func(d *Deps) { d.Limits.MaxPageBytes = 2000 })
	rec := do(t, s, http.MethodGet, "/search?q=p2p", nil)
	if rec.Code < 500 || rec.Body.Len() > 2000 {
		t.Errorf("a page over the bound = %d with %d bytes, want an error and at most the bound", rec.Code, rec.Body.Len())
	}
	if !strings.Contains(rec.Body.String(), "too large") {
		t.Errorf("body %.200q does not say the page was too large", rec.Body.String())
	}
}

// Repro of issue 17 item 2: random long methods made /metrics 197 MB.
func TestMetricsLabelsAreBounded(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	before := do(t, s, http.MethodGet, "/metrics", nil).Body.Len()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		m := make([]byte, 200+rng.IntN(800))
		for i := range m {
			m[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng.IntN(26)]
		}
		do(t, s, string(m), "/search?q=p2p", nil)
	}
	after := do(t, s, http.MethodGet, "/metrics", nil)
	if grown := after.Body.Len() - before; grown > 8<<10 {
		t.Errorf("/metrics grew by %d bytes after 1,000 odd methods", grown)
	}
	if !strings.Contains(after.Body.String(), `method="other"`) {
		t.Errorf("odd methods are not counted as method=\"other\"")
	}
}

// Each hit's links carry the query for the article's highlighting,
// escaped once for the whole page; it must read back as the query.
func TestHitLinksCarryTheQuery(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	q := `p2p peer&<x> 'y' 100% é+`
	rec := do(t, s, http.MethodGet, "/search?q="+url.QueryEscape(q), nil)
	links := regexp.MustCompile(`href="(/posts/[^"]*)"`).FindAllStringSubmatch(rec.Body.String(), -1)
	if len(links) == 0 {
		t.Fatalf("no hit links in %s", rec.Body)
	}
	for _, l := range links {
		u, err := url.Parse(html.UnescapeString(l[1]))
		if err != nil || u.Query().Get("highlight") != q || u.Fragment == "" {
			t.Errorf("link %q reads as %v (err %v), want highlight=%q and a fragment", l[1], u, err, q)
		}
	}
}

// BenchmarkSearchPageLongQuery renders a page whose every link carries
// a 1,000-character query.
func BenchmarkSearchPageLongQuery(b *testing.B) {
	s, _ := newServerWith(b, testContent(b), nil)
	target := "/search?per_page=100&q=" + url.QueryEscape("p2p "+strings.Repeat("\U0001F600", 990))
	for b.Loop() {
		if rec := do(b, s, http.MethodGet, target, nil); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
