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
func slowBody(word string) string {
	return word + "\n\n" + strings.Repeat("[a](", 40000) + "\n"
}

// TestSyncIndexesPostsOverRenderBudget: a post that renders too slowly and
// a post too large are both indexed (from their plain text) by a full
// build and by an incremental sync, without holding the sync past the
// budget, and each is logged by file.
func TestSyncIndexesPostsOverRenderBudget(t *testing.T) {
	f := newFolder(t, map[string]string{
		"plain.md": postText("Plain", "An ordinary post about gossipsub."),
		"slow.md":  postText("Slow", slowBody("zebrafinch")),
		"huge.md":  postText("Huge", "kingfisher "+strings.Repeat("filler ", 30000)),
	})
	var logs bytes.Buffer
	opts := f.options()
	opts.RenderBudget = render.Budget{MaxBytes: 200000, Timeout: 50 * time.Millisecond}
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ix, rep, err := OpenOrBuild(context.Background(), store, opts)
	if err != nil {
		t.Fatalf("OpenOrBuild: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	if took := time.Since(start); took > timeBound(3*time.Second) {
		t.Errorf("the build took %v; the slow post held it past its budget", took)
	}
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
	start = time.Now()
	srep, err := ix.Sync(context.Background(), opts)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if took := time.Since(start); took > timeBound(3*time.Second) {
		t.Errorf("the sync took %v", took)
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
func TestBuildCancelledDuringSlowRender(t *testing.T) {
	f := newFolder(t, map[string]string{"slow.md": postText("Slow", slowBody("zebrafinch"))})
	opts := f.options()
	opts.RenderBudget = render.Budget{Timeout: time.Minute}
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = store.Build(ctx, opts.BuildOptions)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Build = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > timeBound(2*time.Second) {
		t.Errorf("the cancelled build returned after %v", took)
	}
}

// timeBound stretches a time bound for the race detector, which makes
// building several times slower.
func timeBound(d time.Duration) time.Duration {
	if raceEnabled {
		return 5 * d
	}
	return d
}
