package web

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser drives headless Chromium against the real server: what a
// reader does, with and without JavaScript, by mouse and by keyboard; that
// hostile posts and queries run nothing; and axe-core on every page type.
func TestBrowser(t *testing.T) {
	execPath := chromiumPath(t)
	srv := siteServer(t)
	b := newBrowser(t, execPath, srv.URL)

	t.Run("search from home, follow a result, see the word highlighted", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/")
		tb.do(chromedp.SendKeys(chromedp.ID("q"), "proofs"), chromedp.Submit(chromedp.ID("q")))
		tb.waitForPage("/search?q=proofs")
		if got := eval[string](tb, `document.querySelector(".summary-line").textContent`); !strings.HasPrefix(got, "2 posts") {
			t.Errorf("summary line = %q, want 2 posts", got)
		}
		tb.do(chromedp.Click(chromedp.CSS("ol.hits li.hit h3 a")))
		tb.waitForPage("/posts/")
		if loc := tb.location(); !strings.Contains(loc, "highlight=proofs") {
			t.Errorf("article address %s lacks the highlight", loc)
		}
		marks := eval[[]string](tb, `[...document.querySelectorAll(".post .body mark.hl")].map(m => m.textContent)`)
		if len(marks) == 0 || !strings.EqualFold(marks[0], "proofs") {
			t.Fatalf("marked words = %q, want proofs first", marks)
		}
		tb.waitFor("the first match in view", `(() => { const r = document.getElementById("first-match").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`)
		tb.assertInert()
	})

	t.Run("from a result for a prefix, the first mark is the completed word", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/search?q=filec")
		tb.do(chromedp.Click(chromedp.CSS("ol.hits li.hit h3 a")))
		tb.waitForPage("/posts/")
		marks := eval[[]string](tb, `[...document.querySelectorAll(".post .body mark")].map(m => m.textContent)`)
		if len(marks) == 0 || marks[0] != "Filecoin" {
			t.Fatalf("marks = %q, want Filecoin first", marks)
		}
		if got := eval[string](tb, `document.getElementById("first-match").textContent`); got != "Filecoin" {
			t.Errorf("#first-match = %q, want Filecoin", got)
		}
		if got := eval[string](tb, `document.querySelector(".highlight-note q").textContent`); got != "filec" {
			t.Errorf("the note names %q, want filec", got)
		}
		// Arriving by the result link, the first mark is on screen and so
		// is the title above it (the jump must not hide the h1).
		st := eval[map[string]float64](tb, `(() => {
		  const h = document.querySelector("h1").getBoundingClientRect(), m = document.querySelector(".post .body mark").getBoundingClientRect();
		  return {h1top: h.top, h1bottom: h.bottom, mtop: m.top, mbottom: m.bottom, H: innerHeight};
		})()`)
		if st["mtop"] < 0 || st["mbottom"] > st["H"] || st["h1top"] < 0 || st["h1bottom"] > st["H"] {
			t.Errorf("from filec: title at %.0f..%.0f, first mark at %.0f..%.0f, screen %.0f high; want both in view",
				st["h1top"], st["h1bottom"], st["mtop"], st["mbottom"], st["H"])
		}
	})

	t.Run("use a facet, change the order, page through results", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/search?q=filecoin")
		if n := eval[int](tb, `document.querySelectorAll("ol.hits > li").length`); n != 10 {
			t.Errorf("first page has %d hits, want 10", n)
		}
		first := eval[[]string](tb, `[...document.querySelectorAll("ol.hits h3 a")].map(a => a.pathname)`)
		tb.do(chromedp.Click(chromedp.CSS(`nav.pager a[rel="next"]`)))
		tb.waitForPage("page=2")
		second := eval[[]string](tb, `[...document.querySelectorAll("ol.hits h3 a")].map(a => a.pathname)`)
		if len(second) != 4 || eval[string](tb, `document.querySelector("ol.hits").getAttribute("start")`) != "11" {
			t.Errorf("second page = %v (start %s), want the 4 remaining hits from rank 11", second, eval[string](tb, `document.querySelector("ol.hits").getAttribute("start")`))
		}
		for _, p := range second {
			for _, q := range first {
				if p == q {
					t.Errorf("%s is on both pages", p)
				}
			}
		}
		tb.do(chromedp.Click(chromedp.CSS(`nav.pager a[rel="prev"]`)))
		tb.waitFor("page 1", `!location.search.includes("page=") && document.readyState === "complete"`)

		tb.do(chromedp.Click(chromedp.CSS(`aside.facets a[href*="tag=retrieval"]`)))
		tb.waitForPage("tag=retrieval")
		tags := eval[[]string](tb, `[...document.querySelectorAll("ol.hits li.hit")].map(li => li.querySelector(".tags").textContent)`)
		if len(tags) != 4 {
			t.Errorf("%d hits tagged retrieval, want 4", len(tags))
		}
		for _, s := range tags {
			if !strings.Contains(s, "retrieval") {
				t.Errorf("hit with tags %q under the retrieval facet", s)
			}
		}
		if got := eval[string](tb, `document.querySelector("aside.facets a.active").textContent`); !strings.Contains(got, "retrieval") {
			t.Errorf("active facet = %q", got)
		}
		tb.do(chromedp.Click(chromedp.CSS(`nav.sort a[href*="sort=oldest"]`)))
		tb.waitForPage("sort=oldest")
		dates := eval[[]string](tb, `[...document.querySelectorAll("ol.hits time")].map(t => t.getAttribute("datetime"))`)
		for i := 1; i < len(dates); i++ {
			if dates[i] < dates[i-1] {
				t.Errorf("oldest first, but %s comes after %s", dates[i], dates[i-1])
			}
		}
		tb.assertInert()
	})

	t.Run("follow did you mean", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/search?q=retreival")
		if !eval[bool](tb, `!!document.querySelector(".did-you-mean a")`) {
			t.Fatal("no did-you-mean line for retreival (web/didyoumean.go: suggestionFor)")
		}
		if text := eval[string](tb, `document.querySelector(".did-you-mean").textContent`); !strings.Contains(text, "retrieval") {
			t.Errorf("suggestion = %q, want retrieval", text)
		}
		// Either the link runs the suggestion, or the page already shows its
		// results and the link offers the words as typed.
		if href := eval[string](tb, `document.querySelector(".did-you-mean a").href`); strings.Contains(href, "q=retrieval") {
			tb.do(chromedp.Click(chromedp.CSS(".did-you-mean a")))
			tb.waitForPage("q=retrieval")
		}
		if n := eval[int](tb, `document.querySelectorAll("ol.hits > li").length`); n == 0 {
			t.Error("no results for the suggested search")
		}
		tb.assertInert()
	})

	t.Run("subscribe links and discovery", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/search?q=filecoin&tag=storage")
		feed := eval[string](tb, `document.querySelector("p.subscribe a.feed").href`)
		alt := eval[string](tb, `document.querySelector('link[rel=alternate][title="Posts matching this search"]').href`)
		if feed != alt || !strings.Contains(feed, "/search.atom?") || !strings.Contains(feed, "tag=storage") {
			t.Fatalf("subscribe link %q, alternate link %q", feed, alt)
		}
		var f struct {
			Entries []struct{ Title string } `xml:"entry"`
		}
		getXML(t, feed, &f)
		if len(f.Entries) != 9 {
			t.Errorf("search feed has %d entries, want the 9 storage posts", len(f.Entries))
		}
		tb.open("/")
		for _, sel := range []string{`link[rel=search][type="application/opensearchdescription+xml"]`, `link[rel=alternate][type="application/atom+xml"]`, `link[rel=alternate][type="application/rss+xml"]`, `a.feed[href="/feed.atom"]`} {
			if !eval[bool](tb, fmt.Sprintf(`!!document.querySelector(%q)`, sel)) {
				t.Errorf("home page lacks %s", sel)
			}
		}
	})

	t.Run("keyboard only", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/")
		tb.do(chromedp.KeyEvent(kb.Tab))
		if got := eval[string](tb, `document.activeElement.className + "|" + (document.activeElement.getBoundingClientRect().left >= 0)`); got != "skip|true" {
			t.Errorf("first Tab focuses %q, want the visible skip link", got)
		}
		tb.do(chromedp.KeyEvent(kb.Enter))
		tb.waitFor("focus on main", `document.activeElement.id === "main"`)
		tb.pressLikeAPerson("/", "Slash", 191)
		tb.waitFor("focus on the search box", `document.activeElement.id === "q"`)
		tb.do(chromedp.KeyEvent("retrieval speed"), chromedp.KeyEvent(kb.Enter))
		tb.waitForPage("/search?q=retrieval+speed")
		// Tab from the top of the page to the first result, checking that
		// every stop shows a focus ring.
		for i := 0; ; i++ {
			if i == 40 {
				t.Fatal("40 Tabs did not reach the first result")
			}
			tb.do(chromedp.KeyEvent(kb.Tab))
			st := eval[[]string](tb, `[document.activeElement.tagName, document.activeElement.closest("li.hit h3") ? "hit" : "", getComputedStyle(document.activeElement).outlineStyle]`)
			if st[2] == "none" && st[0] != "BODY" {
				t.Errorf("focused %s has no focus outline", st[0])
			}
			if st[1] == "hit" {
				break
			}
		}
		tb.do(chromedp.KeyEvent(kb.Enter))
		tb.waitForPage("/posts/filecoin-13")
		if got := eval[string](tb, `document.getElementById("first-match").textContent`); !strings.EqualFold(got, "retrieval") {
			t.Errorf("first match = %q", got)
		}
	})

	t.Run("suggestions as you type", func(t *testing.T) {
		tb := b.newTab(t)
		tb.open("/")
		tb.do(chromedp.Click(chromedp.ID("q")), chromedp.KeyEvent("fileco"))
		tb.waitFor("the suggestions", `!document.getElementById("q-suggestions").hidden && document.getElementById("q").getAttribute("aria-expanded") === "true"`)
		opts := eval[[]string](tb, `[...document.querySelectorAll("#q-suggestions [role=option]")].map(o => o.firstChild.textContent)`)
		if len(opts) == 0 || opts[0] != "filecoin" {
			t.Fatalf("suggestions = %q, want filecoin first", opts)
		}
		tb.do(chromedp.KeyEvent(kb.ArrowDown))
		if got := eval[string](tb, `document.getElementById("q").getAttribute("aria-activedescendant")`); got != "q-opt-0" {
			t.Errorf("aria-activedescendant = %q", got)
		}
		if haveAxe(t) {
			if v := tb.axe(); len(v) > 0 {
				t.Errorf("axe-core with the suggestions open: %+v", v)
			}
		}
		tb.do(chromedp.KeyEvent(kb.Enter))
		tb.waitForPage("/search?q=filecoin")
		tb.assertInert()
	})

	t.Run("works without JavaScript", func(t *testing.T) {
		tb := b.newTab(t)
		if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		tb.open("/")
		tb.do(chromedp.SendKeys(chromedp.ID("q"), "streaming"), chromedp.Submit(chromedp.ID("q")))
		tb.waitForPage("/search?q=streaming")
		tb.do(chromedp.Click(chromedp.CSS("ol.hits li.hit h3 a")))
		tb.waitForPage("highlight=streaming")
		if n := eval[int](tb, `document.querySelectorAll("mark.hl").length`); n == 0 {
			t.Error("no highlighted words without JavaScript")
		}
		if eval[string](tb, `document.getElementById("q").getAttribute("role") || ""`) != "" {
			t.Error("the search box was enhanced although scripts are off")
		}
	})

	t.Run("hostile posts and queries run nothing", func(t *testing.T) {
		tb := b.newTab(t)
		hostile := []string{
			"/posts/hostile",
			"/posts/hostile?highlight=" + url.QueryEscape(`<img src=x onerror="window.__xss='hl'"> hostile`),
			"/search?q=hostile",
			"/search?q=" + url.QueryEscape(`"><script>window.__xss='q'</script><img src=x onerror="window.__xss='q-img'">`),
			"/search?q=hostile&tag=" + url.QueryEscape(`<img src=x onerror=window.__xss='tag'>`),
			"/search?author=" + url.QueryEscape(`"><svg onload="window.__xss='author'">`),
			"/tags/" + url.PathEscape(`<img src=x onerror=window.__xss='tag'>`),
			"/posts/" + url.PathEscape(`<script>window.__xss='404'</script>`),
			"/",
			"/archive/2020",
		}
		for _, p := range hostile {
			tb.open(p)
			tb.assertInert()
		}
		tb.open("/posts/hostile")
		if got := eval[string](tb, `document.querySelector("h1").textContent`); !strings.HasPrefix(got, "<script>window.__xss='title'") {
			t.Errorf("the hostile title is not shown as text: %q", got)
		}
		// The suggestions show a hostile title as text too.
		tb.open("/")
		tb.do(chromedp.Click(chromedp.ID("q")), chromedp.KeyEvent("hostile p"))
		tb.waitFor("a hostile suggestion", `[...document.querySelectorAll("#q-suggestions [role=option]")].some(o => o.textContent.includes("<script>"))`)
		tb.assertInert()
	})

	t.Run("axe-core finds nothing on any page type", func(t *testing.T) {
		requireAxe(t)
		pages := []string{
			"/", "/search?q=filecoin", "/search?q=filecoin&tag=retrieval&from=2017&to=2022", "/search?q=zebrafish",
			"/search?tag=guides", "/posts/long-guide?highlight=blockchain", "/posts/peer-to-peer", "/posts/hostile",
			"/tags", "/tags/filecoin", "/archive", "/archive/2018", "/nowhere", "/help/search", "/subscribe",
		}
		for _, scheme := range []string{"light", "dark"} {
			t.Run(scheme, func(t *testing.T) {
				tb := b.newTab(t)
				tb.setDark(scheme == "dark")
				for _, p := range pages {
					tb.open(p)
					run := axeRun
					if scheme == "dark" {
						run = axeContrast
					}
					v := tb.axeWith(run)
					for _, x := range v {
						t.Errorf("%s (%s): %s [%s, %s] on %s", p, scheme, x.ID, x.Impact, x.Help, strings.Join(x.Nodes, "; "))
					}
					t.Logf("axe-core: %s (%s): %d violations", p, scheme, len(v))
				}
			})
		}
	})

	t.Run("design", func(t *testing.T) { designChecks(t, b) })

	t.Run("screenshots", func(t *testing.T) {
		dir := screenshotDir(t)
		tb := b.newTab(t)
		for _, size := range []struct {
			name          string
			width, height int64
			mobile        bool
		}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
			opts := []chromedp.EmulateViewportOption{}
			if size.mobile {
				opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
			}
			tb.do(chromedp.EmulateViewport(size.width, size.height, opts...))
			for _, p := range []struct{ name, path string }{
				{"home", "/"}, {"results", "/search?q=filecoin"}, {"article", "/posts/long-guide?highlight=blockchain"},
				{"help", "/help/search"}, {"no-results", "/search?q=zebrafish"}, {"subscribe", "/subscribe"},
			} {
				tb.open(p.path)
				if w := eval[bool](tb, `document.documentElement.scrollWidth > innerWidth + 1`); w {
					t.Errorf("%s scrolls sideways at %s width", p.path, size.name)
				}
				t.Logf("screenshot %s", tb.screenshot(dir, p.name+"-"+size.name))
				t.Logf("screenshot %s", tb.firstScreen(dir, p.name+"-"+size.name+"-first-screen"))
			}
			// The first screens in dark mode too.
			tb.setDark(true)
			for _, p := range []struct{ name, path string }{{"results", "/search?q=filecoin"}, {"article", "/posts/long-guide?highlight=blockchain"}} {
				tb.open(p.path)
				t.Logf("screenshot %s", tb.firstScreen(dir, p.name+"-"+size.name+"-dark"))
			}
			tb.setDark(false)
		}
	})
}

func getXML(t *testing.T, u string, v any) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", u, res.StatusCode, err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// pressLikeAPerson sends one key as a real keyboard does: a keyDown that
// carries the text, so a handler that prevents its default stops the
// character, as in a browser in a person's hands. chromedp.KeyEvent sends
// the character as a separate event that no handler can stop.
func (tb *tab) pressLikeAPerson(key, code string, keyCode int64) {
	tb.t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
		p := input.DispatchKeyEventParams{Type: typ, Key: key, Code: code, WindowsVirtualKeyCode: keyCode, NativeVirtualKeyCode: keyCode}
		if typ == input.DispatchKeyEventTypeKeyDown {
			p.Text, p.UnmodifiedText = key, key
		}
		if _, err := chromedp.Call(tb.ctx, input.DispatchKeyEvent, p); err != nil {
			tb.t.Fatal(err)
		}
	}
}
