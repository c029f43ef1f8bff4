package snippet

import (
	"cmp"
	"context"
	"html"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
)

// span is one matched term in a stored field: byte offsets and the token
// position, which tells words of one phrase apart from neighbours by chance.
type span struct {
	start, end int
	pos        int
	term       string
}

// maxSnippetSpans bounds the matches of one field that snippets look at:
// the first ones in the text. A post can hold a word tens of thousands of
// times; its snippets come from its first maxSnippetSpans matches, and
// choosing them stays a small part of a search's time.
const maxSnippetSpans = 5000

// Fragment is one snippet of a hit's text.
type Fragment struct {
	HTML    string // HTML-escaped text with matches in <mark>; safe to insert as HTML
	Heading string // the heading the snippet falls under, "" for the lead
	Anchor  string // that heading's id on the article page
}

// Mark is text, HTML-escaped, with the matches bleve located in it
// (a hit's term locations in one field) in <mark>.
func Mark(text string, tlm search.TermLocationMap) string {
	return markHTML(text, spansOf(tlm))
}

// Fragments picks up to n snippets of about size bytes of text around
// the matches bleve located in it, each named by the section it falls in
// (see fragments).
func Fragments(ctx context.Context, text string, tlm search.TermLocationMap, secs []schema.Section, n, size int) []Fragment {
	return fragments(ctx, text, spansOf(tlm), secs, n, size)
}

// spansOf flattens bleve's term locations into spans sorted by offset,
// dropping overlaps (a term can be reached through several query clauses).
// It keeps the first maxSnippetSpans spans.
func spansOf(tlm search.TermLocationMap) []span {
	var out []span
	for term, locs := range tlm {
		for _, l := range firstLocations(locs, maxSnippetSpans) {
			out = append(out, span{start: int(l.Start), end: int(l.End), pos: int(l.Pos), term: term})
		}
	}
	return settleSpans(out)
}

// settleSpans sorts spans by offset and drops overlaps, keeping the first
// maxSnippetSpans. Where spans start together the longest wins (a phrase
// over its first word); the order is total, so the choice does not depend
// on the order they were found in. Snippets and article pages (Matcher)
// settle their matches here alike.
func settleSpans(out []span) []span {
	slices.SortFunc(out, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end), strings.Compare(a.term, b.term))
	})
	kept := out[:0]
	for _, s := range out {
		if n := len(kept); n > 0 && s.start < kept[n-1].end {
			continue
		}
		kept = append(kept, s)
	}
	return kept[:min(len(kept), maxSnippetSpans)]
}

// firstLocations is the n locations of one term that come first in the
// text. bleve gives them in order, so that is usually a prefix.
func firstLocations(locs search.Locations, n int) search.Locations {
	if len(locs) <= n {
		return locs
	}
	byStart := func(a, b *search.Location) int { return cmp.Compare(a.Start, b.Start) }
	if !slices.IsSortedFunc(locs, byStart) {
		locs = slices.Clone(locs)
		slices.SortFunc(locs, byStart)
	}
	return locs[:n]
}

// fits reports whether s is a non-empty range of text that starts and
// ends between characters. Spans come from the index and fit the text
// they were found in; one that does not is skipped rather than trusted.
func fits(text string, s span) bool {
	return 0 <= s.start && s.start < s.end && s.end <= len(text) &&
		utf8.RuneStart(text[s.start]) && (s.end == len(text) || utf8.RuneStart(text[s.end]))
}

// fitting is sp without the spans that do not fit text or that overlap
// the one before.
func fitting(text string, sp []span) []span {
	out := make([]span, 0, len(sp))
	for _, s := range sp {
		if fits(text, s) && (len(out) == 0 || s.start >= out[len(out)-1].end) {
			out = append(out, s)
		}
	}
	return out
}

// markHTML escapes text and wraps each span in <mark>. Only our own
// constant tags are left unescaped.
func markHTML(text string, sp []span) string {
	sp = fitting(text, sp)
	var b strings.Builder
	last := 0
	for _, s := range sp {
		b.WriteString(html.EscapeString(text[last:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		last = s.end
	}
	b.WriteString(html.EscapeString(text[last:]))
	return b.String()
}

// window is a candidate snippet: a byte range of the text and its spans.
type window struct {
	start, end int
	spans      []span
}

// fragments picks up to n snippets of about size bytes, best first: a
// snippet scores by the distinct terms it shows, then by how many matches
// it holds. Snippets never share text (a later one is cut where an earlier
// one begins or ends), so no sentence is shown twice, and every match
// inside a snippet is marked. A snippet that would open with its
// section's heading starts after it, as the heading is its label. Each
// costs time linear in the spans; when ctx ends, the snippets found so
// far are all there is.
func fragments(ctx context.Context, text string, sp []span, secs []schema.Section, n, size int) []Fragment {
	sp = fitting(text, sp)
	if len(sp) == 0 {
		return nil
	}
	size = max(size, 1)
	var out []Fragment
	var chosen []window
	left := sp
	for len(out) < n && len(left) > 0 && ctx.Err() == nil {
		w, _ := bestWindow(text, left, size)
		w = apart(w, chosen)
		heading, anchor := sectionAt(secs, w.start)
		if heading != "" {
			w = pastHeading(text, w, secs)
		}
		out = append(out, Fragment{HTML: snippetHTML(text, w), Heading: heading, Anchor: anchor})
		chosen = append(chosen, w)
		left = outside(left, w)
	}
	return out
}

// apart cuts w where it would reach into a window already chosen. The
// spans of w lie outside every chosen window (those inside were dropped
// from the candidates), so w keeps its first span: a chosen window before
// that span moves w's start, one after it moves w's end. chosen holds at
// most as many windows as a hit has snippets (index.MaxFragments).
func apart(w window, chosen []window) window {
	anchor := w.spans[0]
	for _, c := range chosen {
		switch {
		case c.end <= anchor.start && c.end > w.start:
			w.start = c.end
		case c.start >= anchor.end && c.start < w.end:
			w.end = c.start
		}
	}
	return within(w)
}

// pastHeading starts w after its section's heading line when w begins on
// it and no match lies on it: the heading is shown as the snippet's label.
func pastHeading(text string, w window, secs []schema.Section) window {
	i := sort.Search(len(secs), func(i int) bool { return secs[i].Start > w.start })
	if i == 0 {
		return w
	}
	s := secs[i-1]
	lineEnd := len(text)
	if nl := strings.IndexByte(text[s.Start:], '\n'); nl >= 0 {
		lineEnd = s.Start + nl
	}
	if w.start >= lineEnd || lineEnd+1 > w.spans[0].start {
		return w // past the heading already, or a match on it
	}
	w.start = lineEnd + 1
	return within(w)
}

// within keeps the spans that lie inside w's range, in a new slice: w's
// spans are a part of the candidates, which outside later rewrites.
func within(w window) window {
	var kept []span
	for _, s := range w.spans {
		if s.start >= w.start && s.end <= w.end {
			kept = append(kept, s)
		}
	}
	w.spans = kept
	return w
}

// bestWindow places a window at each span and keeps the best. The spans
// are sorted and apart, so those inside a window are one run of them,
// sp[lo:hi]; windows move forward with their spans, and so do lo and hi,
// which makes the whole choice linear in the spans. terms counts the
// run's spans by term, for the number of distinct terms. steps counts the
// windows placed and the edge moves, the work that grows with the spans;
// tests assert it stays linear.
func bestWindow(text string, sp []span, size int) (best window, steps int) {
	bestScore := -1
	terms := map[string]int{}
	add := func(k int) { terms[sp[k].term]++ }
	drop := func(k int) {
		if terms[sp[k].term]--; terms[sp[k].term] == 0 {
			delete(terms, sp[k].term)
		}
	}
	lo, hi := 0, 0 // terms holds sp[lo:hi] when lo < hi, else nothing
	for _, s := range sp {
		steps++
		start, end := windowAround(text, s, size)
		// Each loop moves one edge a step and keeps terms true to it; the
		// backward loops never run for windows that move forward, and
		// keep the count right if one did not.
		for lo < len(sp) && sp[lo].start < start {
			steps++
			if lo < hi {
				drop(lo)
			}
			lo++
		}
		for lo > 0 && sp[lo-1].start >= start {
			steps++
			if lo--; lo < hi {
				add(lo)
			}
		}
		for hi < len(sp) && sp[hi].end <= end {
			steps++
			if hi >= lo {
				add(hi)
			}
			hi++
		}
		for hi > 0 && sp[hi-1].end > end {
			steps++
			if hi--; hi >= lo {
				drop(hi)
			}
		}
		if score := len(terms)*100 + max(hi-lo, 0); score > bestScore {
			best, bestScore = window{start: start, end: end, spans: sp[lo:max(lo, hi)]}, score
		}
	}
	return best, steps
}

// windowAround places a window of about size bytes on span s, with a
// fifth of it before s as lead-in, and moves its ends to the nearest line
// or word boundary. In a long run without spaces (a link, a hash) there
// is none near, and the window is cut inside the run. Whatever the text,
// start <= s.start and s.end <= end, and both ends fall between
// characters; finding them reads fewer than 200 bytes.
func windowAround(text string, s span, size int) (start, end int) {
	start = leadStart(text, s.start, size/5)
	return start, tailEnd(text, s.end, start+size)
}

// lineLead is how near the start of its line a window's start may be to
// begin at the line instead; snapReach is how far an end is moved to
// reach a word boundary. Both bound the bytes read per window, so
// choosing among windows costs the same whatever the fragment size.
const (
	lineLead  = 30
	snapReach = 64
)

// leadStart is where a window with up to lead bytes before at begins: at
// the start of a line if one is near, else after the first space or line
// break near the lead-in's start, else inside the run of characters
// before at.
func leadStart(text string, at, lead int) int {
	i := max(at-lead, 0)
	if i == 0 {
		return 0
	}
	for i < at && !utf8.RuneStart(text[i]) { // at starts a character
		i++
	}
	from := max(i-(lineLead-1), 0)
	if nl := strings.LastIndexByte(text[from:i], '\n'); nl >= 0 {
		return from + nl + 1
	}
	if j := strings.IndexAny(text[i:min(at, i+snapReach)], " \n"); j >= 0 {
		return i + j + 1
	}
	return i
}

// tailEnd is where a window that must reach from and would like to reach
// want ends: before the last space or line break shortly before want,
// else at want itself (between two characters).
func tailEnd(text string, from, want int) int {
	if want <= from {
		return from
	}
	if want >= len(text) {
		return len(text)
	}
	i := runeStartBefore(text, want) // >= from, which starts a character or ends the text
	if text[i] == ' ' || text[i] == '\n' {
		return i
	}
	lo := max(from, i-snapReach)
	if j := strings.LastIndexAny(text[lo:i], " \n"); j >= 0 {
		return lo + j
	}
	return i
}

// runeStartBefore moves i back to the start of the character it falls in.
func runeStartBefore(text string, i int) int {
	for i > 0 && i < len(text) && !utf8.RuneStart(text[i]) {
		i--
	}
	return i
}

func snippetHTML(text string, w window) string {
	spans := make([]span, len(w.spans))
	for i, s := range w.spans {
		s.start -= w.start
		s.end -= w.start
		spans[i] = s
	}
	body := markHTML(strings.ReplaceAll(text[w.start:w.end], "\n", " "), spans)
	if w.start > 0 && text[w.start-1] != '\n' {
		body = "…" + body
	}
	if w.end < len(text) {
		body += " …"
	}
	return strings.TrimSpace(body)
}

// outside keeps the spans not in w, in place: sp is fragments' own copy,
// and w's spans have been used.
func outside(sp []span, w window) []span {
	out := sp[:0]
	for _, s := range sp {
		if s.end <= w.start || s.start >= w.end {
			out = append(out, s)
		}
	}
	return out
}

// sectionAt names the heading a byte offset of the text falls under.
func sectionAt(secs []schema.Section, off int) (string, string) {
	i := sort.Search(len(secs), func(i int) bool { return secs[i].Start > off })
	if i == 0 {
		return "", ""
	}
	return secs[i-1].Heading, secs[i-1].Anchor
}
