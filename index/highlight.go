package index

import (
	"cmp"
	"html"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// span is one matched term in a stored field: byte offsets and the token
// position, which tells words of one phrase apart from neighbours by chance.
type span struct {
	start, end int
	pos        int
	term       string
}

// spansOf flattens bleve's term locations into spans sorted by offset,
// dropping overlaps (a term can be reached through several query clauses).
func spansOf(tlm search.TermLocationMap) []span {
	var out []span
	for term, locs := range tlm {
		for _, l := range locs {
			out = append(out, span{start: int(l.Start), end: int(l.End), pos: int(l.Pos), term: term})
		}
	}
	// Where spans start together the longest wins (a phrase over its first
	// word); the order is total, so the choice does not depend on the map's.
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
	return kept
}

// joinPhrases merges spans that stand next to each other in the text (at
// most one dropped stop word apart), so "Tron buying BitTorrent" or
// "peer-to-peer" is marked as one unit rather than word by word.
func joinPhrases(text string, sp []span) []span {
	var out []span
	for _, s := range sp {
		if n := len(out); n > 0 && s.pos-out[n-1].pos <= 2 && s.pos > out[n-1].pos && shortGap(text[out[n-1].end:s.start]) {
			out[n-1].end = s.end
			out[n-1].pos = s.pos
			continue
		}
		out = append(out, s)
	}
	return out
}

func shortGap(gap string) bool {
	if len(gap) > 6 || gap == "" {
		return false
	}
	for _, r := range gap {
		if !(r == ' ' || r == '-' || unicode.IsLetter(r)) {
			return false
		}
	}
	return true
}

// markHTML escapes text and wraps each span in <mark>. Only our own
// constant tags are left unescaped. With phrases set, neighbouring matches
// share one mark.
func markHTML(text string, sp []span, phrases bool) string {
	if phrases {
		sp = joinPhrases(text, sp)
	}
	var b strings.Builder
	last := 0
	for _, s := range sp {
		if s.start < last || s.end > len(text) {
			continue
		}
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
	score      int
}

// fragments picks up to n non-overlapping snippets of about size bytes,
// best first: a snippet scores by the distinct terms it shows, then by how
// many matches it holds.
func fragments(text string, sp []span, secs []section, n, size int, phrases bool) []Fragment {
	if len(sp) == 0 || text == "" {
		return nil
	}
	var out []Fragment
	left := sp
	for len(out) < n && len(left) > 0 {
		w := bestWindow(text, left, size)
		heading, anchor := sectionAt(secs, w.start)
		out = append(out, Fragment{HTML: snippetHTML(text, w, phrases), Heading: heading, Anchor: anchor})
		left = outside(left, w)
	}
	return out
}

func bestWindow(text string, sp []span, size int) window {
	var best window
	for i := range sp {
		w := windowAt(text, sp, i, size)
		if w.score > best.score || best.spans == nil {
			best = w
		}
	}
	return best
}

// windowAt places a window so that span i sits a little after its start,
// giving the reader some lead-in, and snaps both ends to word boundaries.
func windowAt(text string, sp []span, i, size int) window {
	start := snapStart(text, sp[i].start-size/5)
	end := snapEnd(text, start+size)
	if end < sp[i].end {
		end = snapEnd(text, sp[i].end)
	}
	w := window{start: start, end: end}
	terms := map[string]bool{}
	for _, s := range sp {
		if s.start >= start && s.end <= end {
			w.spans = append(w.spans, s)
			terms[s.term] = true
		}
	}
	w.score = len(terms)*100 + len(w.spans)
	return w
}

// snapStart moves back to the start of a line if one is near, else forward
// to the next word start.
func snapStart(text string, i int) int {
	if i <= 0 {
		return 0
	}
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	if nl := strings.LastIndexByte(text[:i], '\n'); nl >= 0 && i-nl < 30 {
		return nl + 1
	}
	for i < len(text) && text[i] != ' ' && text[i] != '\n' {
		i++
	}
	return min(i+1, len(text))
}

func snapEnd(text string, i int) int {
	if i >= len(text) {
		return len(text)
	}
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	j := i
	for j > 0 && text[j] != ' ' && text[j] != '\n' {
		j--
	}
	if j == 0 {
		return i
	}
	return j
}

func snippetHTML(text string, w window, phrases bool) string {
	spans := make([]span, len(w.spans))
	for i, s := range w.spans {
		s.start -= w.start
		s.end -= w.start
		spans[i] = s
	}
	body := markHTML(strings.ReplaceAll(text[w.start:w.end], "\n", " "), spans, phrases)
	if w.start > 0 && text[w.start-1] != '\n' {
		body = "…" + body
	}
	if w.end < len(text) {
		body += " …"
	}
	return strings.TrimSpace(body)
}

func outside(sp []span, w window) []span {
	var out []span
	for _, s := range sp {
		if s.end <= w.start || s.start >= w.end {
			out = append(out, s)
		}
	}
	return out
}

// sectionAt names the heading a byte offset of the text falls under.
func sectionAt(secs []section, off int) (string, string) {
	i := sort.Search(len(secs), func(i int) bool { return secs[i].Start > off })
	if i == 0 {
		return "", ""
	}
	return secs[i-1].Heading, secs[i-1].Anchor
}
