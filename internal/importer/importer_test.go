package importer

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/post"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// want is what one imported post must carry, checked on the parsed
// output (so a wrong golden file cannot hide it).
type want struct {
	slug, title, date string
	authors, tags     []string
	draft             bool
	body              []string // substrings of the Markdown body
}

func TestImport(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		posts  []want
		notes  []string // substrings, one per note expected at least
	}{
		{"old-blog-post.html", HTML, []want{{
			slug: "world-cup-p2p-streaming", title: "Streaming the World Cup over P2P", date: "2018-07-16", // 09:30 in Sydney: the day the author wrote, not UTC's evening before
			authors: []string{"Rhett Sampson"}, tags: []string{"p2p", "streaming", "webrtc"},
			body: []string{"In the **World Cup**, Peer5 proved that *p2p*", "## How it works",
				`[webRTC](https://webrtc.org/ "Web Real-Time Communication")`, "- No plug-in to install", "  - measured per chunk",
				"3. Third step\n4. Fourth step", "> The best CDN is the audience itself.", "```js\nconst pc = new RTCPeerConnection();",
				"`createDataChannel()`", `5\*3 times; see \[1\] and file_name_here`,
				"![Chart of CDN offload by minute of the final](/img/offload-chart.png)", "*Offload during the final*",
				"| Match | Offload |\n| --- | --- |\n| Final | 90% |\n| Semi \\| 1 | 71% |", `1\. Not a list`, `\# Not a heading`},
		}}, []string{"image /img/crowd.jpg has no alt text", `<iframe src="https://www.youtube.com/embed/abc123"> dropped`}},
		{"feed.rss", RSS, []want{
			{slug: "filecoin-ipfs-foundation", title: "Filecoin & IPFS: the new foundation", date: "2018-09-24",
				authors: []string{"Rhett Sampson"}, tags: []string{"filecoin", "ipfs"},
				body: []string{"did a *monster* update", "[Filecoin](https://filecoin.io/)", "### What it means"}},
			{slug: "tron-buys-bittorrent", title: "Tron buys BitTorrent", date: "2018-07-31",
				authors: []string{"Blust Newsdesk"}, body: []string{"This gives Tron over 100M users.\n\nLegal movie sharing anyone?"}},
		}, []string{`item 3 ("An item without a date"): no readable date`}},
		{"feed.atom", Atom, []want{
			{slug: "chunk-scheduling", title: "Chunk scheduling in p2p video", date: "2019-03-01",
				authors: []string{"Ada Lovelace", "Grace Hopper"}, tags: []string{"p2p", "video"},
				body: []string{"for **live** video", "```\nif deadline < 2*rtt { fetchFromCDN() }\n```"}},
			{slug: "field-notes", title: "Notes from the field", date: "2019-02-10", authors: []string{"Blust Engineering"},
				body: []string{"Seeders in **Surry Hills** outnumber leechers.", "- Sydney\n- Melbourne"}},
			{slug: "plain-text-entry", title: "Plain text entry", date: "2019-01-05", authors: []string{"Blust Engineering"},
				body: []string{"Just words here.\n\nA second paragraph with a \\* star."}},
		}, nil},
		{"wordpress.xml", WXR, []want{
			{slug: "consensus-2018", title: "Consensus 2018: the big boys arrive", date: "2018-05-17",
				authors: []string{"Rhett Sampson"}, tags: []string{"industry", "blockchain", "aws"},
				body: []string{"The big boys were all there: Deloitte, Accenture, PWC, AWS, Microsoft, IBM, SAP.\\\nAll looking",
					"![The main stage at Consensus 2018](https://old.blust.example/wp-content/uploads/2018/05/stage.jpg) The main stage",
					"## Bets", `Jo Lubin bet Jimmy Song "any amount of BitCoin".`}},
			{slug: "westpac-and-r3-a-draft", title: "Westpac and R3: a draft", date: "2018-06-02", authors: []string{"Rhett Sampson"},
				draft: true, body: []string{"Westpac announced"}},
		}, []string{"2 comments not imported", "shortcode [gallery] not mapped", `status "draft", imported as a draft`,
			"1 WordPress page items not imported", "1 WordPress attachment items not imported"}},
		{"../../../../shared/seed/000_c0f302346a476015.txt", Text, []want{{
			slug: "p2p-peer-to-peer-and-blockchain-have-come-of-age", title: "P2P (Peer to Peer) and Blockchain Have Come of Age",
			date: "2018-09-20", authors: []string{"Rhett Sampson"},
			body: []string{"There has been blood in the water for blockchain traders", "Rhett Sampson\\\nSeptember 2018"},
		}}, []string{`text before the date line not imported: "Blog Posts"`, `4 lines after the signature not imported: "This blog originally appeared at`}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if os.IsNotExist(err) && strings.Contains(tt.file, "shared") {
				t.Skipf("the shared seed is not here (%v)", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tt.format {
				t.Errorf("format = %s, want %s", res.Format, tt.format)
			}
			if len(res.Posts) != len(tt.posts) {
				t.Fatalf("got %d posts, want %d; notes: %q", len(res.Posts), len(tt.posts), res.Notes)
			}
			for i, w := range tt.posts {
				checkPost(t, res.Posts[i], w)
			}
			for _, n := range tt.notes {
				if !slices.ContainsFunc(res.Notes, func(s string) bool { return strings.Contains(s, n) }) {
					t.Errorf("no note says %q; notes:\n%s", n, strings.Join(res.Notes, "\n"))
				}
			}
			golden(t, filepath.Base(tt.file), res)
		})
	}
}

func checkPost(t *testing.T, p Post, w want) {
	t.Helper()
	md, err := p.Source.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	got, err := post.Parse(p.Slug+".md", md)
	if err != nil {
		t.Fatalf("%s does not load: %v\n%s", p.Slug, err, md)
	}
	if p.Slug != w.slug || got.Title != w.title || got.Date.Format("2006-01-02") != w.date || got.Draft != w.draft ||
		!slices.Equal(got.Authors, w.authors) || !slices.Equal(got.Tags, w.tags) {
		t.Errorf("post %s: title %q date %s authors %q tags %q draft %v\nwant %s: %q %s %q %q %v",
			p.Slug, got.Title, got.Date.Format("2006-01-02"), got.Authors, got.Tags, got.Draft,
			w.slug, w.title, w.date, w.authors, w.tags, w.draft)
	}
	for _, s := range w.body {
		if !strings.Contains(string(got.Body), s) {
			t.Errorf("post %s: body lacks %q:\n%s", p.Slug, s, got.Body)
		}
	}
}

// golden compares every post and the notes with testdata/golden/<input>/.
func golden(t *testing.T, input string, res *Result) {
	t.Helper()
	dir := filepath.Join("testdata", "golden", input)
	files := map[string][]byte{"notes.txt": []byte(strings.Join(res.Notes, "\n") + "\n")}
	for _, p := range res.Posts {
		md, _ := p.Source.Markdown()
		files[p.Slug+".md"] = md
	}
	if *update {
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, b := range files {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v (run go test -update to write it)", err)
			continue
		}
		if string(b) != string(want) {
			t.Errorf("%s/%s differs from its golden file (go test -update rewrites it):\n got:\n%s\nwant:\n%s", input, name, b, want)
		}
	}
}

func TestTheSeedImportKeepsTheTextOfTheHandConvertedPost(t *testing.T) {
	data, err := os.ReadFile("../../../shared/seed/000_c0f302346a476015.txt")
	if err != nil {
		t.Skipf("the shared seed is not here: %v", err)
	}
	res, err := Import("seed.txt", data)
	if err != nil || len(res.Posts) != 1 {
		t.Fatalf("Import = %+v, %v", res, err)
	}
	hand, err := post.LoadFile(os.DirFS("../../content"), "p2p-and-blockchain-have-come-of-age.md", post.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := paragraphsOf(res.Posts[0].Source.Body)
	want := paragraphsOf(string(hand.Body))
	// The last paragraph is the signature, written with a hard line break
	// in either form.
	if !slices.Equal(got[:len(got)-1], want[:len(want)-1]) {
		t.Errorf("imported paragraphs differ from content/p2p-and-blockchain-have-come-of-age.md:\n got %q\nwant %q", got, want)
	}
	if !hand.Date.Equal(res.Posts[0].Source.Date) || hand.Title != res.Posts[0].Source.Title {
		t.Errorf("title/date %q %v, want %q %v", res.Posts[0].Source.Title, res.Posts[0].Source.Date, hand.Title, hand.Date)
	}
}

func paragraphsOf(md string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(md), "\n\n") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
	}{
		{"x.xml", `<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">`, WXR},
		{"x.xml", `<?xml version="1.0"?><rss version="2.0">`, RSS},
		{"x.xml", "\ufeff<?xml version='1.0'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">", Atom},
		{"x", "<!DOCTYPE html><html>", HTML},
		{"page.htm", "<p>fragment</p>", HTML},
		{"seed.txt", "Blog Posts\n\nSeptember, 20 2018", Text},
		{"x.pdf", "%PDF-1.4", ""},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%s, %.30q) = %q, want %q", tt.name, tt.head, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"September, 20 2018":              "2018-09-20",
		"september 20th, 2018":            "2018-09-20",
		"20 Sep 2018":                     "2018-09-20",
		"Mon, 24 Sep 2018 08:00:00 +1000": "2018-09-24",
		"2018-05-17 04:00:00":             "2018-05-17",
		"2019-03-01T09:00:00+01:00":       "2019-03-01",
	} {
		got, ok := parseDate(in)
		if !ok || got.Format("2006-01-02") != want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	if _, ok := parseDate("Rhett Sampson"); ok {
		t.Error("a name parsed as a date")
	}
	_ = time.Now
}
