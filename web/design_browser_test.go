package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The design's promises, checked in Chromium at a desktop and a phone
// width: one grid (every page's content starts at the same left edge),
// nothing wider than a phone, a readable line length, the folds (Filters
// and Contents) closed on phones and open on desktops, and the jump to the
// first match. TestBrowser runs them with its browser.

// viewport is a screen the checks run at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 900, false}
	phone   = viewport{"phone", 390, 844, true}
)

func (tb *tab) emulate(v viewport) {
	tb.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if v.mobile {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	tb.do(chromedp.EmulateViewport(v.width, v.height, opts...))
}

// designPages is one page of each kind.
var designPages = []string{
	"/", "/search?q=filecoin", "/search?q=zebrafish", "/posts/long-guide?highlight=blockchain", "/posts/peer-to-peer",
	"/help/search", "/subscribe", "/tags", "/tags/filecoin", "/archive", "/archive/2018", "/nowhere",
}

// overflowCheck lists the elements that reach past the right edge of the
// screen (or the left), except what scrolls inside its own box (code,
// tables) and what is hidden on purpose.
const overflowCheck = `(() => {
  const bad = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("pre, table, .visually-hidden, .skip, [hidden], .suggest-list")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > innerWidth + 0.5 || r.left < -0.5) bad.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).replace(/ /g, ".") : "") + " " + Math.round(r.left) + ".." + Math.round(r.right));
  }
  if (document.documentElement.scrollWidth > innerWidth) bad.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + innerWidth);
  return bad.slice(0, 5);
})()`

// charsPerLine is how many characters of the selected paragraphs' text fit
// on one line of their column: the column's width over the text's mean
// character width in its own font.
const charsPerLine = `((sel) => {
  const p = [...document.querySelectorAll(sel)].sort((a, b) => b.textContent.length - a.textContent.length)[0];
  if (!p) return 0;
  const s = document.createElement("span");
  s.style.whiteSpace = "nowrap";
  s.textContent = p.textContent.replace(/\s+/g, " ").trim();
  p.appendChild(s);
  const w = s.getBoundingClientRect().width, n = s.textContent.length;
  s.remove();
  const cs = getComputedStyle(p);
  return Math.round((p.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)) / (w / n));
})`

// visible says an element is rendered and on the page (not folded away).
const visible = `((sel) => { const el = document.querySelector(sel); return !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0; })`

func designChecks(t *testing.T, b *browser) {
	t.Run("nothing overflows a phone", func(t *testing.T) {
		tb := b.newTab(t)
		tb.emulate(phone)
		for _, p := range designPages {
			tb.open(p)
			for _, bad := range eval[[]string](tb, overflowCheck) {
				t.Errorf("%s at 390 px: %s", p, bad)
			}
		}
	})

	t.Run("every page's content starts at one left edge", func(t *testing.T) {
		tb := b.newTab(t)
		tb.emulate(desktop)
		edges := map[string]int{}
		for _, p := range designPages {
			tb.open(p)
			edges[p] = eval[int](tb, `Math.round(document.querySelector("main h1").getBoundingClientRect().left)`)
		}
		brand := eval[int](tb, `Math.round(document.querySelector(".brand").getBoundingClientRect().left)`)
		for p, left := range edges {
			if left != brand {
				t.Errorf("%s: the h1 starts at %d px, the site's name at %d px", p, left, brand)
			}
		}
	})

	t.Run("articles and help run 60 to 75 characters a line", func(t *testing.T) {
		tb := b.newTab(t)
		tb.emulate(desktop)
		for _, c := range []struct{ path, sel string }{
			{"/posts/long-guide", ".post .body p"}, {"/help/search", ".help section p"}, {"/subscribe", ".subscribe-page p"},
		} {
			tb.open(c.path)
			n := eval[int](tb, charsPerLine+fmt.Sprintf("(%q)", c.sel))
			if n < 60 || n > 75 {
				t.Errorf("%s: %d characters a line, want 60 to 75", c.path, n)
			}
			t.Logf("%s: %d characters a line", c.path, n)
		}
	})

	t.Run("filters: a button on a phone, a sidebar on a desktop", func(t *testing.T) {
		tb := b.newTab(t)
		tb.emulate(phone)
		tb.open("/search?q=filecoin")
		if !eval[bool](tb, visible+`("details.filters > summary")`) {
			t.Fatal("no Filters button on a phone")
		}
		if above := eval[bool](tb, `document.querySelector("details.filters > summary").getBoundingClientRect().bottom < document.querySelector("ol.hits").getBoundingClientRect().top`); !above {
			t.Error("the Filters button is not above the results")
		}
		if eval[bool](tb, visible+`(".facets a")`) {
			t.Error("the facets are open before the button is pressed")
		}
		tb.do(chromedp.Click(chromedp.CSS("details.filters > summary")))
		tb.waitFor("the facets open", visible+`(".facets a")`)
		if top := eval[bool](tb, `document.querySelector(".facets a").getBoundingClientRect().top < document.querySelector("ol.hits").getBoundingClientRect().top`); !top {
			t.Error("the opened facets are not above the results")
		}

		tb.emulate(desktop)
		tb.open("/search?q=filecoin")
		if eval[bool](tb, visible+`("details.filters > summary")`) {
			t.Error("a Filters button on a desktop")
		}
		if !eval[bool](tb, visible+`(".facets a")`) {
			t.Fatal("the facets are folded on a desktop")
		}
		if beside := eval[bool](tb, `document.querySelector(".facets").getBoundingClientRect().left > document.querySelector("ol.hits").getBoundingClientRect().right`); !beside {
			t.Error("the facets are not a sidebar beside the results")
		}
	})

	t.Run("contents: folded on a phone, beside the post on a desktop", func(t *testing.T) {
		tb := b.newTab(t)
		tb.emulate(phone)
		tb.open("/posts/long-guide")
		if !eval[bool](tb, visible+`("details.toc > summary")`) || eval[bool](tb, visible+`(".toc nav a")`) {
			t.Fatal("the contents are not folded behind a button on a phone")
		}
		tb.do(chromedp.Click(chromedp.CSS("details.toc > summary")))
		tb.waitFor("the contents open", visible+`(".toc nav a")`)

		tb.emulate(desktop)
		tb.open("/posts/long-guide")
		if !eval[bool](tb, visible+`(".toc nav a")`) || eval[bool](tb, visible+`("details.toc > summary")`) {
			t.Fatal("the contents are folded on a desktop")
		}
		if beside := eval[bool](tb, `document.querySelector(".toc").getBoundingClientRect().left > document.querySelector(".post .body").getBoundingClientRect().right`); !beside {
			t.Error("the contents are not beside the post")
		}
	})

	t.Run("the jump to the first match", func(t *testing.T) {
		for _, v := range []viewport{desktop, phone} {
			t.Run(v.name, func(t *testing.T) {
				tb := b.newTab(t)
				tb.emulate(v)
				// "blockchain" is the post's first word: the page stays
				// where it is, title and match both in view.
				tb.open("/posts/long-guide?highlight=blockchain#first-match")
				tb.waitForPage("#first-match")
				st := eval[map[string]float64](tb, `(() => {
				  const h = document.querySelector("h1").getBoundingClientRect(), m = document.getElementById("first-match").getBoundingClientRect();
				  return {y: scrollY, h1top: h.top, h1bottom: h.bottom, mtop: m.top, mbottom: m.bottom, H: innerHeight};
				})()`)
				if st["h1top"] < 0 || st["h1bottom"] > st["H"] || st["mtop"] < 0 || st["mbottom"] > st["H"] {
					t.Errorf("first match on the first screen: title at %.0f..%.0f, match at %.0f..%.0f, screen %.0f high (scrolled %.0f)",
						st["h1top"], st["h1bottom"], st["mtop"], st["mbottom"], st["H"], st["y"])
				}
				// "unique" is in the fourth section: the match lands about a
				// third of the way down, or as far as the page can scroll.
				tb.open("/posts/long-guide?highlight=unique#first-match")
				tb.waitForPage("#first-match")
				st = eval[map[string]float64](tb, `(() => {
				  const m = document.getElementById("first-match").getBoundingClientRect();
				  return {y: scrollY, max: document.documentElement.scrollHeight - innerHeight, mtop: m.top, mbottom: m.bottom, H: innerHeight};
				})()`)
				third := st["mtop"] / st["H"]
				atBottom := st["y"] >= st["max"]-1
				t.Logf("first match further down: at %.0f of %.0f px (scrolled %.0f of %.0f)", st["mtop"], st["H"], st["y"], st["max"])
				if st["mbottom"] > st["H"] || st["mtop"] < 0 || (!atBottom && (third < 0.2 || third > 0.45)) {
					t.Errorf("first match further down lands at %.0f of a %.0f px screen (%.0f%%, scrolled %.0f of %.0f)", st["mtop"], st["H"], third*100, st["y"], st["max"])
				}
				if eval[bool](tb, `document.querySelector("article.post").classList.contains("match-near-top")`) {
					t.Error("a match in the fourth section is judged to be on the first screen")
				}
			})
		}
	})

	t.Run("axe-core on phones, with the folds open", func(t *testing.T) {
		requireAxe(t)
		for _, scheme := range []string{"light", "dark"} {
			t.Run(scheme, func(t *testing.T) {
				tb := b.newTab(t)
				tb.setDark(scheme == "dark")
				tb.emulate(phone)
				for _, p := range []string{"/search?q=filecoin", "/posts/long-guide?highlight=blockchain", "/subscribe", "/help/search"} {
					tb.open(p)
					tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
					run := axeRun
					if scheme == "dark" {
						run = axeContrast
					}
					for _, x := range tb.axeWith(run) {
						t.Errorf("%s (%s, phone): %s [%s, %s] on %s", p, scheme, x.ID, x.Impact, x.Help, strings.Join(x.Nodes, "; "))
					}
				}
			})
		}
	})
}
