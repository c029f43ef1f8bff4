package index

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/render"
)

// slowBody is Markdown goldmark parses in quadratic time even after the
// render package's guards (every unclosed link destination scans to the
// end of the line): about 7 s for this one, on two busy cores.
func slowBody(word string) string { return slowBodyOf(word, 40000) }

// slowBodyOf is slowBody with n unclosed link destinations; the time
// grows with n squared.
func slowBodyOf(word string, n int) string {
	return word + "\n\n" + strings.Repeat("[a](", n) + "\n"
}

// TestSyncIndexesPostsOverRenderBudget: a post that renders too slowly and
// a post too large are both indexed (from their plain text) by a full
// build and by an incremental sync, without holding the sync past the
// budget, and each is logged by file. The log's reasons prove the budget
// held (the slow post is named for its timeout); the watchdog only
// catches a build that ignores it altogether, never slowness. The budget
// is 500ms, not less, so a busy machine cannot push plain.md past it.
func TestSyncIndexesPostsOverRenderBudget(t *testing.T) {
	defer watchdog(t, 60*time.Second)()
	f := newFolder(t, map[string]string{
		"plain.md": postText("Plain", "An ordinary post about gossipsub."),
		"slow.md":  postText("Slow", slowBody("zebrafinch")),
		"huge.md":  postText("Huge", "kingfisher "+strings.Repeat("filler ", 30000)),
	})
	var logs bytes.Buffer
	opts := f.options()
	opts.RenderBudget = render.Budget{MaxBytes: 200000, Timeout: 500 * time.Millisecond}
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ix, rep, err := openOrBuild(context.Background(), store, opts)
	if err != nil {
		t.Fatalf("OpenOrBuild: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	if len(rep.Rejected) != 0 || rep.Posts != 3 {
		t.Fatalf("report %+v: want 3 posts, none rejected", rep)
	}
	for q, want := range map[string]string{"zebrafinch": "slow", "kingfisher": "huge", "gossipsub": "plain"} {
		if got := hitsFor(t, ix, q); !slices.Equal(got, []string{want}) {
			t.Errorf("search %q = %v, want [%s]", q, got, want)
		}
	}
	for _, want := range []string{"file=slow.md reason=\"rendering took longer", "file=huge.md reason=\"the body is"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

	f.write("slow2.md", postText("Slow again", slowBody("nightjar")))
	logs.Reset()
	srep, err := writerOf(ix).syncFolder(context.Background(), opts)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if want := "file=slow2.md reason=\"rendering took longer than the render budget of 500ms"; !strings.Contains(logs.String(), want) {
		t.Errorf("sync log lacks %q:\n%s", want, logs.String())
	}
	if !slices.Equal(srep.Added, []string{"slow2"}) {
		t.Errorf("sync added %v, want [slow2]", srep.Added)
	}
	if got := hitsFor(t, ix, "nightjar"); !slices.Equal(got, []string{"slow2"}) {
		t.Errorf("search nightjar = %v", got)
	}
}

// TestBuildCancelledDuringSlowRender: cancelling a build ends it while a
// post is still rendering, instead of waiting for the render to finish.
// The post would take about a minute to render (9x slowBody's 7 s: the
// time grows with the square of its openers) and its budget is a minute,
// so a build that waited for the render would outlive the 30 s watchdog; one that heeds the
// cancellation returns context.Canceled long before it. No tighter bound
// is asserted: a busy or -race machine may be many times slower.
func TestBuildCancelledDuringSlowRender(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	f := newFolder(t, map[string]string{"slow.md": postText("Slow", slowBodyOf("zebrafinch", 120000))})
	opts := f.options()
	opts.RenderBudget = render.Budget{Timeout: time.Minute}
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = store.Build(ctx, opts.BuildOptions)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Build = %v, want context.Canceled", err)
	}
}
