package snippet

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/snippettest"
)

// maxFragments and defaultSize are index.maxFragments and
// index.DefaultFragSize, the most snippets a hit may ask for and their
// default size.
const (
	maxFragments = 5
	defaultSize  = 200
)

// watchdog ends a test that hangs: after d it panics naming the test, which
// stops the test binary with every goroutine's stack. d is generous because
// it catches hangs, not slowness; speed is measured by benchmarks.
func watchdog(t testing.TB, d time.Duration) (stop func() bool) {
	name := t.Name()
	return time.AfterFunc(d, func() {
		panic(fmt.Sprintf("%s: still running after %v: a hang", name, d))
	}).Stop
}

// runText is a run of n bytes without a space or a newline, made of
// path segments so a tokenizer still splits it into words.
func runText(seg string, n int) string {
	return strings.Repeat(seg, n/len(seg)+1)[:n]
}

// longRunPost is a post whose match sits inside a long run without
// spaces (a URL, a hash), followed by another such run: the shape that
// made a window start after its own end.
func longRunPost(word string) string {
	return "Intro words here.\n\nsee " + runText("abc/", 300) + "/" + word + "/" + runText("def/", 300) +
		" " + runText("ghi/", 300) + " and the end\n"
}

// checkFragment asserts what every snippet must be: valid UTF-8 when the
// text is, marks balanced and not nested, and, without its marks and
// ellipses, a piece of the text.
func checkFragment(t testing.TB, text, frag string) {
	t.Helper()
	if utf8.ValidString(text) && !utf8.ValidString(frag) {
		t.Fatalf("fragment is not valid UTF-8: %q", frag)
	}
	snippettest.CheckMarks(t, frag)
	plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag)
	plain = strings.TrimSuffix(strings.TrimPrefix(plain, "…"), " …")
	plain = strings.TrimSpace(html.UnescapeString(plain))
	if !strings.Contains(strings.ReplaceAll(text, "\n", " "), plain) {
		t.Fatalf("fragment %q is not a piece of the text", plain)
	}
}

// Before windows were bounded by their span, a match in a long run
// without spaces made a window start past its end: a panic, and the whole
// results page a 500.
func TestFragmentsInALongRunWithoutSpaces(t *testing.T) {
	word := "googleusercontent"
	texts := map[string]string{
		"ascii run":      longRunPost(word),
		"multibyte run":  "x " + runText("äöü/", 301) + "/" + word + "/" + runText("€/", 301) + " " + runText("日本/", 301) + " end",
		"match at start": word + "/" + runText("abc/", 500) + " " + runText("def/", 500),
		"match at end":   runText("abc/", 500) + " " + runText("def/", 500) + "/" + word,
		"only the match": word,
		"newline before": runText("abc/", 10) + "\n" + runText("abc/", 300) + "/" + word + "/" + runText("def/", 300) + "\n" + runText("ghi/", 300),
	}
	for name, text := range texts {
		var sp []span
		for i, pos := 0, 1; ; pos++ {
			j := strings.Index(text[i:], word)
			if j < 0 {
				break
			}
			sp = append(sp, span{start: i + j, end: i + j + len(word), pos: pos, term: word})
			i += j + len(word)
		}
		for _, size := range []int{1, 10, 50, 100, 200, 1000, 5000} {
			t.Run(fmt.Sprintf("%s/%d", name, size), func(t *testing.T) {
				got := fragments(context.Background(), text, sp, nil, 3, size)
				if len(got) != 1 {
					t.Fatalf("got %d fragments, want 1", len(got))
				}
				if !strings.Contains(got[0].HTML, "<mark>"+word+"</mark>") {
					t.Errorf("fragment %q does not show the match", got[0].HTML)
				}
				checkFragment(t, text, got[0].HTML)
				if limit := max(size, len(word)) + 2*len("…") + 2*len(" …") + len("<mark></mark>") + 8; len(got[0].HTML) > limit {
					t.Errorf("fragment is %d bytes for size %d: %q", len(got[0].HTML), size, got[0].HTML)
				}
			})
		}
	}
}

// manyMatches is a text holding word n times among other words, and its
// spans.
func manyMatches(word string, n int) (string, []span) {
	var b strings.Builder
	var sp []span
	for i := range n {
		fmt.Fprintf(&b, "lorem ipsum %d ", i)
		sp = append(sp, span{start: b.Len(), end: b.Len() + len(word), pos: 4*i + 4, term: word})
		b.WriteString(word)
		b.WriteString(" dolor.\n")
	}
	return b.String(), sp
}

// Every window used to count every span: thousands of matches in one
// post took seconds, after the search's deadline. The work is now counted,
// not timed: choosing a window over n spans takes at most 4n steps
// (windows placed plus edge moves), where the old scan took about n²/2.
// The watchdog only catches a hang. The time is measured by
// go test ./index/internal/snippet -run '^$' -bench BenchmarkFragmentsOfManyMatches
func TestFragmentsOfManyMatchesAreQuick(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	for _, n := range []int{1000, 8000, 30000} {
		text, sp := manyMatches("torrent", n)
		if _, steps := bestWindow(text, sp, 1000); steps > 4*n {
			t.Errorf("%d matches: %d steps, want at most %d (linear)", n, steps, 4*n)
		}
	}
	text, sp := manyMatches("torrent", 30000)
	got := fragments(context.Background(), text, sp, nil, maxFragments, 1000)
	if len(got) != maxFragments {
		t.Fatalf("got %d fragments, want %d", len(got), maxFragments)
	}
	for _, f := range got {
		checkFragment(t, text, f.HTML)
	}
}

// BenchmarkFragmentsOfManyMatches measures the snippets of a post with
// 30,000 matches of one word, the case that took seconds when every window
// counted every span.
func BenchmarkFragmentsOfManyMatches(b *testing.B) {
	text, sp := manyMatches("torrent", 30000)
	for b.Loop() {
		if got := fragments(context.Background(), text, sp, nil, maxFragments, 1000); len(got) != maxFragments {
			b.Fatalf("got %d fragments", len(got))
		}
	}
}

// Only the first maxSnippetSpans matches are looked at: a better window
// past them is not found, which is the price of the bound.
func TestFragmentsLookAtTheFirstMatchesOnly(t *testing.T) {
	text, sp := manyMatches("torrent", maxSnippetSpans+10)
	at := sp[len(sp)-1].start // a second word next to a late match would make the best window
	text = text[:at] + "magnet " + text[at:]
	sp[len(sp)-1].start += len("magnet ")
	sp[len(sp)-1].end += len("magnet ")
	late := span{start: at, end: at + len("magnet"), pos: sp[len(sp)-1].pos - 1, term: "magnet"}
	sp = append(sp[:len(sp)-1], late, sp[len(sp)-1])
	tlm := spanMap(sp)
	got := fragments(context.Background(), text, spansOf(tlm), nil, 1, 200)
	if len(got) != 1 || strings.Contains(got[0].HTML, "magnet") {
		t.Errorf("fragments = %+v, want one from the first matches", got)
	}
	// Below the bound the window with both words wins.
	small, ssp := manyMatches("torrent", 20)
	ssp[5].term = "magnet"
	got = fragments(context.Background(), small, ssp, nil, 1, 200)
	if len(got) != 1 || !strings.Contains(got[0].HTML, "ipsum 5 <mark>torrent</mark>") {
		t.Errorf("fragments = %+v, want the window with both words", got)
	}
}

// A search whose time is up gets its hits without snippets rather than
// late.
func TestFragmentsStopWhenTheRequestEnds(t *testing.T) {
	text, sp := manyMatches("torrent", 100)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := fragments(ctx, text, sp, nil, 3, 200); len(got) != 0 {
		t.Errorf("fragments after the request ended = %+v, want none", got)
	}
}

// spanMap turns spans back into the location map bleve gives, so tests
// can go through spansOf.
func spanMap(sp []span) search.TermLocationMap {
	out := search.TermLocationMap{}
	for _, s := range sp {
		out[s.term] = append(out[s.term], &search.Location{Start: uint64(s.start), End: uint64(s.end), Pos: uint64(s.pos)})
	}
	return out
}

// BenchmarkFragmentsOfARepeatedWord is the snippet builder alone on the
// text of index's BenchmarkSnippetsOfARepeatedWord: one word 30,000 times.
func BenchmarkFragmentsOfARepeatedWord(b *testing.B) {
	text, sp := manyMatches("torrent", 30000)
	ctx := context.Background()
	for b.Loop() {
		if got := fragments(ctx, text, sp, nil, 3, defaultSize); len(got) != 3 {
			b.Fatalf("got %d fragments", len(got))
		}
	}
}
