package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blust/archive/internal/render"
)

func docOf(html string) func(context.Context) (*rendered, error) {
	return func(context.Context) (*rendered, error) {
		return &rendered{doc: &render.Doc{HTML: template.HTML(html)}}, nil
	}
}

// TestDocCacheBoundedInBytes: the cache never holds more bytes than its
// bound, evicts the least recently used first, and does not keep a
// rendering larger than a quarter of it.
func TestDocCacheBoundedInBytes(t *testing.T) {
	ctx := context.Background()
	c := newDocCache(4000)
	for _, k := range []string{"a", "b", "c", "d"} { // 957 bytes each
		if _, err := c.get(ctx, k, docOf(strings.Repeat("x", 700))); err != nil {
			t.Fatal(err)
		}
	}
	c.get(ctx, "a", docOf("not called: a is cached")) // a is now the most recently used
	c.get(ctx, "e", docOf(strings.Repeat("x", 700)))  // evicts b
	if n, used := c.len(); n != 4 || used > 4000 {
		t.Fatalf("%d entries, %d bytes; want 4 within 4000", n, used)
	}
	for k, cached := range map[string]bool{"a": true, "b": false, "c": true, "d": true, "e": true} {
		if _, ok := c.entries[k]; ok != cached {
			t.Errorf("%s cached = %v, want %v", k, ok, cached)
		}
	}
	if _, err := c.get(ctx, "big", docOf(strings.Repeat("x", 1001))); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.entries["big"]; ok {
		t.Error("a rendering over a quarter of the cache was kept")
	}
	// Many distinct keys: the bound holds.
	for i := range 200 {
		c.get(ctx, fmt.Sprint("k", i), docOf(strings.Repeat("y", i*5)))
		if _, used := c.len(); used > 4000 {
			t.Fatalf("after %d keys the cache holds %d bytes, over 4000", i, used)
		}
	}
}

// TestDocCacheOneRenderPerKey: concurrent misses of one key share one
// render, later hits render nothing, and an error is not kept.
func TestDocCacheOneRenderPerKey(t *testing.T) {
	c := newDocCache(1 << 20)
	var calls atomic.Int32
	slow := func(context.Context) (*rendered, error) {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond)
		return &rendered{doc: &render.Doc{HTML: "<p>x</p>"}}, nil
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if r, err := c.get(context.Background(), "k", slow); err != nil || r.doc.HTML != "<p>x</p>" {
				t.Errorf("get = %v, %v", r, err)
			}
		})
	}
	wg.Wait()
	c.get(context.Background(), "k", slow)
	if n := calls.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
	failing := func(context.Context) (*rendered, error) { calls.Add(1); return nil, errors.New("boom") }
	for range 2 {
		if _, err := c.get(context.Background(), "bad", failing); err == nil {
			t.Error("want the render's error")
		}
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d renders, want the failed one tried again", n)
	}
	panicky := func(context.Context) (*rendered, error) { panic("oops") }
	if _, err := c.get(context.Background(), "panic", panicky); err == nil || !strings.Contains(err.Error(), "oops") {
		t.Errorf("a panicking render: err = %v", err)
	}
}

// TestDocCacheWaiterLeaves: a reader who hangs up stops waiting at once,
// and the render it started still serves the next reader.
func TestDocCacheWaiterLeaves(t *testing.T) {
	c := newDocCache(1 << 20)
	release := make(chan struct{})
	build := func(ctx context.Context) (*rendered, error) {
		<-release
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &rendered{doc: &render.Doc{HTML: "<p>done</p>"}}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := c.get(ctx, "k", build); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(release)
	r, err := c.get(context.Background(), "k", docOf("<p>second render</p>"))
	if err != nil || r.doc.HTML != "<p>done</p>" {
		t.Errorf("get = %v, %v; want the first render, not cancelled with its reader", r, err)
	}
}

// TestArticleServedFromCache: the second view of an article is served
// from the cache, not rendered again; an edited file is rendered afresh.
func TestArticleServedFromCache(t *testing.T) {
	content := testContent(t)
	s := newServerFor(t, content, Deps{})
	if res, _ := get(t, s, "/posts/filecoin-markets"); res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if n, _ := s.articles.len(); n != 1 {
		t.Fatalf("%d cached renderings after one view, want 1", n)
	}
	s.articles.order.Front().Value.(*cacheEntry).val.doc = &render.Doc{HTML: "<p>from the cache</p>"}
	if _, body := get(t, s, "/posts/filecoin-markets"); !strings.Contains(body, "<p>from the cache</p>") {
		t.Errorf("the second view rendered again")
	}
	content["filecoin-markets.md"].Data = append(content["filecoin-markets.md"].Data, []byte("\nAn edit.\n")...)
	if _, body := get(t, s, "/posts/filecoin-markets"); !strings.Contains(body, "An edit.") {
		t.Errorf("the edited post was not rendered afresh")
	}
}

// TestArticleOverRenderBudget: a post over the render budget is served as
// escaped plain paragraphs (goldmark would take minutes on this one).
func TestArticleOverRenderBudget(t *testing.T) {
	body := "<script>alert(1)</script> " + strings.Repeat("> ", render.DefaultMaxBytes/2) + "\n\nlast words\n"
	content := fstest.MapFS{"huge.md": {Data: []byte("---\ntitle: Huge\ndate: 2020-01-01\n---\n\n" + body)}}
	s := newServerFor(t, content, Deps{})
	res, page := get(t, s, "/posts/huge")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if d := s.articles.order.Front().Value.(*cacheEntry).val.doc; !strings.Contains(d.Plain, "over the render budget") {
		t.Errorf("Plain = %q, want the size named", d.Plain)
	}
	checkBody(t, page, []string{"<p>&lt;script&gt;alert(1)&lt;/script&gt; &gt; &gt;", "<p>last words</p>"}, []string{"<script>alert"})
}

// TestArticleCacheFollowsFilesItReads: a post whose template shows a file
// beside it is rendered again when that file changes.
func TestArticleCacheFollowsFilesItReads(t *testing.T) {
	content := fstest.MapFS{
		"go/intro.md": {Data: []byte("---\ntitle: Intro\ndate: 2020-01-01\ntemplate: true\n---\n\nThe code:\n\n{{code \"main.go\"}}\n")},
		"go/main.go":  {Data: []byte("package main // first version\n"), ModTime: time.Unix(1, 0)},
	}
	s := newServerFor(t, content, Deps{})
	if _, body := get(t, s, "/posts/intro"); !strings.Contains(body, "first version") {
		t.Fatalf("the code file is not shown: %.300s", body)
	}
	if r := s.articles.order.Front().Value.(*cacheEntry).val; len(r.reads) != 1 || r.reads[0].name != "main.go" {
		t.Errorf("recorded reads %+v, want main.go", r.reads)
	}
	content["go/main.go"] = &fstest.MapFile{Data: []byte("package main // second version\n"), ModTime: time.Unix(2, 0)}
	if _, body := get(t, s, "/posts/intro"); !strings.Contains(body, "second version") {
		t.Errorf("the edited code file is not shown")
	}
	if n, _ := s.articles.len(); n != 1 {
		t.Errorf("%d cached renderings, want the stale one replaced", n)
	}
}

// TestRenderedExpires: a rendering cut short by its time budget is served
// until it expires, then rendered again.
func TestRenderedExpires(t *testing.T) {
	now := time.Now()
	r := &rendered{doc: &render.Doc{}, expires: now.Add(retryTimedOut)}
	if !r.fresh(nil, now) || r.fresh(nil, now.Add(retryTimedOut+time.Second)) {
		t.Errorf("fresh at once %v, after the retry time %v; want true, false", r.fresh(nil, now), r.fresh(nil, now.Add(retryTimedOut+time.Second)))
	}
	if whole := (&rendered{doc: &render.Doc{}}); !whole.fresh(nil, now.Add(24*time.Hour)) {
		t.Error("a whole rendering expired")
	}
}
