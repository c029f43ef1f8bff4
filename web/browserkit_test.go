package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/blust/archive/index"
)

// The harness of the browser tests: one headless Chromium for the whole
// package, one tab per subtest, a real server on 127.0.0.1 serving a real
// index of testdata/site.

// requireBrowserEnv makes a missing browser a failure instead of a skip;
// CI sets it.
const requireBrowserEnv = "ARCHIVE_REQUIRE_BROWSER"

// chromiumPath finds the browser: $ARCHIVE_CHROMIUM, else Debian's
// chromium or another Chrome on PATH. Without one the browser tests skip,
// or fail when ARCHIVE_REQUIRE_BROWSER=1.
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("ARCHIVE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "browser tests need Chromium: apt-get install chromium (or set ARCHIVE_CHROMIUM to a Chrome binary)"
	if os.Getenv(requireBrowserEnv) == "1" {
		tb.Fatalf("%s; %s=1 makes this a failure", msg, requireBrowserEnv)
	}
	tb.Skip("skipping browser tests: " + msg)
	return ""
}

// siteServer serves a real index of testdata/site on 127.0.0.1.
func siteServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	content := os.DirFS("testdata/site")
	store, err := index.NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := store.Build(context.Background(), index.BuildOptions{Content: content, ContentDir: "testdata/site"})
	if err != nil {
		tb.Fatal(err)
	}
	if len(rep.Rejected) > 0 {
		tb.Fatalf("test site has rejected posts: %+v", rep.Rejected)
	}
	ix, err := index.Open(store, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	s, err := New(Deps{Index: ix, Content: content})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return srv
}

// browser is the one Chromium of the test run.
type browser struct {
	ctx  context.Context // a chromedp context that has started the browser
	base string          // the server's URL
}

func newBrowser(tb testing.TB, execPath, base string) *browser {
	tb.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(tb.Logf))
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		tb.Fatalf("start Chromium %s: %v", execPath, err)
	}
	return &browser{ctx: ctx, base: base}
}

// tab is one browser tab with what it watched: dialogs (alert, confirm)
// and Content-Security-Policy violations, either of which means hostile
// input got as far as running.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu      sync.Mutex
	dialogs []string
}

// probeScript runs in every document before the page's own scripts and
// records CSP violations, which only injected markup would cause.
const probeScript = `window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});`

func (b *browser) newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancel() })
	tb := &tab{t: t, ctx: ctx, base: b.base}
	err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, string(d.Type)+": "+d.Message)
			tb.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probeScript}); err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.base + path))
}

// eval runs JavaScript in the page and decodes its JSON-able result.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluate %.60q: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true, for at most
// waitLimit.
func (tb *tab) waitFor(what, js string) {
	tb.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || tb.ctx.Err() != nil {
			loc, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string]("location.href"))
			tb.t.Fatalf("waiting for %s: gave up at %s (last error %v)", what, loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitLimit bounds one wait; a slow, shared CI machine needs a few seconds.
const waitLimit = 15 * time.Second

// waitForPage waits until the tab shows a loaded page whose address
// contains part.
func (tb *tab) waitForPage(part string) {
	tb.t.Helper()
	js, _ := json.Marshal(part)
	tb.waitFor("a page at "+part, fmt.Sprintf(`location.href.includes(%s) && document.readyState === "complete"`, js))
}

func (tb *tab) location() string { tb.t.Helper(); return eval[string](tb, "location.href") }

// setDark switches prefers-color-scheme for the tab.
func (tb *tab) setDark(dark bool) {
	tb.t.Helper()
	v := "light"
	if dark {
		v = "dark"
	}
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}},
	})
	if err != nil {
		tb.t.Fatal(err)
	}
}

// injectedScriptCheck lists what hostile input could have put in the page:
// scripts that are not ours, event handler attributes, javascript: URLs,
// frames and plugins.
const injectedScriptCheck = `(() => {
  const bad = [];
  for (const s of document.scripts) {
    if (!s.src || new URL(s.src).origin !== location.origin || !new URL(s.src).pathname.startsWith("/static/")) bad.push("script " + s.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push("handler " + el.tagName + " " + a.name);
      if (/^\s*(javascript|data|vbscript):/i.test(a.value) && /^(href|src|action|formaction|data|xlink:href)$/i.test(a.name)) bad.push("url " + el.tagName + " " + a.name + "=" + a.value.slice(0, 40));
    }
  }
  for (const el of document.querySelectorAll("iframe, frame, object, embed, base, meta[http-equiv]")) bad.push("element " + el.tagName);
  if (window.__xss !== undefined) bad.push("ran: window.__xss = " + window.__xss);
  for (const v of window.__csp || []) bad.push("csp violation: " + v);
  return bad;
})()`

// assertInert fails if anything hostile ran or was injected into the page.
func (tb *tab) assertInert() {
	tb.t.Helper()
	for _, b := range eval[[]string](tb, injectedScriptCheck) {
		tb.t.Errorf("%s: %s", tb.location(), b)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, d := range tb.dialogs {
		tb.t.Errorf("a dialog opened: %s", d)
	}
}

// axeEnv names axe-core's browser bundle (axe.min.js from the npm package
// axe-core) that the accessibility checks inject. axe-core is not in the
// repository: .ci/run installs the pinned version with npm into
// axeCacheDir and sets this variable.
const axeEnv = "ARCHIVE_AXE"

// axeCacheDir is where .ci/run installs axe-core, under the user's cache
// folder; the tests look there when ARCHIVE_AXE is unset.
const axeCacheDir = "blust-archive/axe-core"

// axePath is $ARCHIVE_AXE, else the bundle .ci/run installed.
func axePath() (string, error) {
	if p := os.Getenv(axeEnv); p != "" {
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("%s is unset and there is no cache folder: %w", axeEnv, err)
	}
	return filepath.Join(cache, axeCacheDir, "node_modules", "axe-core", "axe.min.js"), nil
}

// axeSource is axe-core's browser bundle, read once for the whole run.
var axeSource = sync.OnceValues(func() (string, error) {
	p, err := axePath()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("axe-core: %w", err)
	}
	if !bytes.Contains(b[:min(len(b), 4096)], []byte("axe")) {
		return "", fmt.Errorf("axe-core: %s does not look like axe.min.js", p)
	}
	return string(b), nil
})

// axeMissing is why the accessibility checks cannot run, or "" when they can.
func axeMissing() string {
	if _, err := axeSource(); err != nil {
		return fmt.Sprintf("the accessibility checks need axe-core (%v): bash .ci/run installs it with npm, or set %s to an axe.min.js", err, axeEnv)
	}
	return ""
}

// requireAxe skips the test with one line when axe-core is missing, and
// fails it instead under ARCHIVE_REQUIRE_BROWSER=1.
func requireAxe(t *testing.T) {
	t.Helper()
	if msg := axeMissing(); msg != "" {
		if os.Getenv(requireBrowserEnv) == "1" {
			t.Fatalf("%s; %s=1 makes this a failure", msg, requireBrowserEnv)
		}
		t.Skip("skipping: " + msg)
	}
}

// haveAxe is requireAxe for a test that goes on without axe-core: it logs
// one line and returns false instead of skipping.
func haveAxe(t *testing.T) bool {
	t.Helper()
	if msg := axeMissing(); msg != "" {
		if os.Getenv(requireBrowserEnv) == "1" {
			t.Fatalf("%s; %s=1 makes this a failure", msg, requireBrowserEnv)
		}
		t.Log("not checked: " + msg)
		return false
	}
	return true
}

// axeViolation is one failed axe-core rule with the elements it failed on.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs every axe-core rule (WCAG 2.x A and AA, and best practices)
// on the page as it is now.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))
})))`

// axeContrast runs only the colour-contrast rule, for the second colour
// scheme: the other rules do not depend on colours.
const axeContrast = `axe.run(document, {resultTypes: ["violations"], runOnly: ["color-contrast"]}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))
})))`

// axe checks the page with axe-core and returns the violations.
func (tb *tab) axe() []axeViolation {
	tb.t.Helper()
	return tb.axeWith(axeRun)
}

func (tb *tab) axeWith(run string) []axeViolation {
	tb.t.Helper()
	src, err := axeSource()
	if err != nil {
		tb.t.Fatalf("axe-core: %v", err)
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		tb.t.Fatalf("inject axe-core: %v", err)
	}
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("run axe-core: %v", err)
	}
	return v
}

// screenshotDir is where the browser tests leave their screenshots:
// web/testdata/screenshots (gitignored), or ARCHIVE_SCREENSHOTS, which
// .ci/run sets and prints so a run's pictures can be looked at.
func screenshotDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("ARCHIVE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// screenshot saves the whole page as a PNG.
func (tb *tab) screenshot(dir, name string) string {
	tb.t.Helper()
	return tb.savePNG(dir, name, chromedp.FullScreenshot(100))
}

// firstScreen saves what the reader sees before scrolling as a PNG.
func (tb *tab) firstScreen(dir, name string) string {
	tb.t.Helper()
	return tb.savePNG(dir, name, chromedp.CaptureScreenshot())
}

func (tb *tab) savePNG(dir, name string, shot chromedp.Action[[]byte]) string {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, shot)
	if err != nil {
		tb.t.Fatal(err)
	}
	if !strings.HasPrefix(string(png), "\x89PNG") {
		tb.t.Fatalf("screenshot %s is not a PNG", name)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	return p
}
