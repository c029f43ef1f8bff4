package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The hostile soak interleaves ordinary traffic with the requests and posts
// that once cost a page its memory or a worker its time: hundreds of
// repeated filters, methods made up by the client, snippets of a post that
// holds one word thirty thousand times or a long run without spaces, a post
// with more tags than a query may have clauses, and Markdown shaped to make
// a renderer go super-linear. Ordinary requests must keep their latency and
// get no 5xx; hostile ones may be refused (4xx) or run out of their budget
// (503), but must never fail (500) or grow the server.

// hostilePost is one crafted post, written beside the generated corpus.
type hostilePost struct {
	slug string
	body func() string
	tags func() []string
}

// hostileWord is the word the crafted posts repeat; it is not in the
// generator's vocabulary, so only those posts match it.
const hostileWord = "quuxfrobnicate"

func hostilePosts() []hostilePost {
	none := func() []string { return []string{"hostile"} }
	return []hostilePost{
		{"hostile-repeat", func() string {
			// About 450 KB: one word 30,000 times, in sentences.
			var b strings.Builder
			for i := range 30000 {
				b.WriteString(hostileWord)
				if i%12 == 11 {
					b.WriteString(".\n\n")
				} else {
					b.WriteString(" ")
				}
			}
			return b.String()
		}, none},
		{"hostile-unbroken", func() string {
			// Matches inside long runs without a space, where a snippet
			// window cannot snap to a word boundary.
			var b strings.Builder
			for range 200 {
				b.WriteString(strings.Repeat("x", 300) + "/" + hostileWord + "/" + strings.Repeat("y", 300) + " ")
			}
			return b.String()
		}, none},
		{"hostile-tags", func() string { return "A post with more tags than a query may have clauses.\n" }, func() []string {
			tags := make([]string, 1500)
			for i := range tags {
				tags[i] = "t" + strconv.Itoa(i)
			}
			return tags
		}},
		{"hostile-render", func() string {
			// Nested quotes and lists, an unclosed shortcode repeated, and a
			// highlight shortcode over many lines: shapes that were
			// super-linear in the renderer.
			var b strings.Builder
			b.WriteString(strings.Repeat(">", 5000) + " deep " + hostileWord + "\n\n")
			for i := range 500 {
				b.WriteString(strings.Repeat("  ", i) + "- item\n")
			}
			b.WriteString("\n" + strings.Repeat("{{< ", 20000) + "\n\n")
			b.WriteString("{{< highlight go >}}\n")
			for range 4000 {
				b.WriteString("x := 1\n")
			}
			b.WriteString("{{< /highlight >}}\n")
			return b.String()
		}, none},
	}
}

// hostileCorpus makes a folder holding the generated corpus (hard links,
// or copies where the file system refuses them) and the crafted posts,
// so the cached corpus itself is never changed.
func hostileCorpus(src, dst string) (int, error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 0, err
	}
	n := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		n++
		to := filepath.Join(dst, d.Name())
		if err := os.Link(p, to); err == nil || errors.Is(err, fs.ErrExist) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		return 0, fmt.Errorf("hostile corpus: %w", err)
	}
	for _, h := range hostilePosts() {
		fm := fmt.Sprintf("---\ntitle: Hostile %s\ndate: 2020-01-01\ntags: [%s]\n---\n\n", h.slug, strings.Join(h.tags(), ", "))
		if err := os.WriteFile(filepath.Join(dst, h.slug+".md"), []byte(fm+h.body()), 0o644); err != nil {
			return 0, fmt.Errorf("hostile corpus: %w", err)
		}
		n++
	}
	return n, nil
}

// hostileRequests is the hostile part of the mix; each request builds its
// own target so a run sees fresh random methods and words.
func hostileRequests(base string) []soakMix {
	manyTags := func(n int) string {
		v := url.Values{"q": {"p2p"}}
		for i := range n {
			v.Add("tag", "t"+strconv.Itoa(i))
		}
		return v.Encode()
	}
	tags3000 := manyTags(3000)
	randomWord := func(r *rand.Rand, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		return string(b)
	}
	return []soakMix{
		{share: 3, hostile: true, req: getOf(func(*rand.Rand) string { return base + "/search?" + tags3000 })},
		{share: 2, hostile: true, req: func(r *rand.Rand) soakRequest {
			return soakRequest{method: strings.ToUpper(randomWord(r, 1000)), url: base + "/search?q=p2p"}
		}},
		{share: 3, hostile: true, req: getOf(func(r *rand.Rand) string {
			return base + "/api/v1/search?q=" + hostileWord + "&fragment_size=" + strconv.Itoa(20+r.IntN(200))
		})},
		{share: 3, hostile: true, req: getOf(func(*rand.Rand) string { return base + "/search?q=" + hostileWord })},
		{share: 2, hostile: true, req: getOf(func(*rand.Rand) string { return base + "/posts/hostile-tags" })},
		{share: 2, hostile: true, req: getOf(func(*rand.Rand) string { return base + "/posts/hostile-render" })},
		{share: 2, hostile: true, req: getOf(func(*rand.Rand) string { return base + "/posts/hostile-repeat?highlight=" + hostileWord })},
		{share: 2, hostile: true, req: getOf(func(r *rand.Rand) string { return base + "/api/v1/search?q=" + randomWord(r, 900) })},
		{share: 1, hostile: true, req: getOf(func(r *rand.Rand) string {
			v := url.Values{}
			for range 65 {
				v.Add("q", randomWord(r, 6))
			}
			return base + "/api/v1/trends?" + v.Encode()
		})},
		{share: 1, hostile: true, req: getOf(func(r *rand.Rand) string {
			return base + "/api/v1/search.csv?q=p2p&cursor=" + url.QueryEscape(randomWord(r, 40))
		})},
	}
}
