package check

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blust/archive/internal/render"
)

// TestCheckNamesPostsOverRenderBudget: a post too large and a post too
// slow to render are each named, as warnings (they are still indexed),
// and an ordinary post is not.
func TestCheckNamesPostsOverRenderBudget(t *testing.T) {
	head := "---\ntitle: T\ndate: 2020-01-01\n---\n\n"
	fsys := fstest.MapFS{
		"ok.md":   {Data: []byte(head + "Fine.\n")},
		"huge.md": {Data: []byte(head + strings.Repeat("word ", 50000) + "\n")},
		// Each unclosed link destination scans to the line's end.
		// 40,000 of them take about 7 s without a budget.
		"slow.md": {Data: []byte(head + strings.Repeat("[a](", 40000) + "\n")},
	}
	// The outcome proves the budget held: slow.md is named with the
	// timeout as its reason. The watchdog only catches a render that
	// ignores the budget altogether (a hang), never slowness. The budget
	// is 500ms, not less, so a busy machine cannot push ok.md past it.
	defer watchdog(t, 60*time.Second)()
	rep, err := Run(fsys, Options{Now: now, RenderBudget: render.Budget{MaxBytes: 200000, Timeout: 500 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		if f.Code == "render-budget" {
			if f.Severity != Warning || f.Line != 5 {
				t.Errorf("%s: severity %s line %d, want a warning at line 5", f.File, f.Severity, f.Line)
			}
			got[f.File] = f.String("content")
		}
	}
	want := map[string]string{
		"huge.md": "content/huge.md:5: warning: the post is indexed and shown as plain text: the body is 250002 bytes, over the render budget of 200000 bytes",
		"slow.md": "content/slow.md:5: warning: the post is indexed and shown as plain text: rendering took longer than the render budget of 500ms",
	}
	for file, w := range want {
		if !strings.HasPrefix(got[file], w) {
			t.Errorf("%s: got %q, want it to start %q", file, got[file], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("render-budget findings %v, want only %v", got, want)
	}
	if rep.Errors() != 0 {
		t.Errorf("%d errors, want none: a post over budget is still indexed", rep.Errors())
	}
}
