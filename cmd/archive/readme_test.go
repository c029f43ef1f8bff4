package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/testshared"
)

// readmeBlock is one ```sh block of the README and the answer the README
// shows for it: the fenced block (```json, ```text) right after it, or ""
// when there is none.
type readmeBlock struct {
	cmd, shown string
}

// readmeSection returns the text of one README section, up to the next
// "## " heading.
func readmeSection(tb testing.TB, heading string) string {
	tb.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		tb.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n"+heading+"\n")
	if start < 0 {
		tb.Fatalf("README.md has no %q section", heading)
	}
	section := text[start+len(heading)+2:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	return section
}

var (
	fencedBlock = regexp.MustCompile("(?s)\n```([a-z]*)\n(.*?)\n```\n")
	// buildID is an index build's id, which differs from run to run.
	buildID = regexp.MustCompile(`\d{8}T\d{6}-[0-9a-f]+(\.\d+)?`)
)

// readmeBlocks returns the ```sh blocks of one README section, in order,
// each with the answer shown after it.
func readmeBlocks(tb testing.TB, heading string) []readmeBlock {
	tb.Helper()
	var blocks []readmeBlock
	for _, m := range fencedBlock.FindAllStringSubmatch(readmeSection(tb, heading), -1) {
		switch {
		case m[1] == "sh":
			blocks = append(blocks, readmeBlock{cmd: m[2]})
		case len(blocks) > 0 && blocks[len(blocks)-1].shown == "":
			blocks[len(blocks)-1].shown = m[2]
		}
	}
	return blocks
}

// sameOutput reports whether a command printed what the README shows, the
// index build's id aside.
func sameOutput(got, shown string) bool {
	norm := func(s string) string { return buildID.ReplaceAllString(strings.TrimSpace(s), "BUILD") }
	return norm(got) == norm(shown)
}

// needTools skips when the README's client tools are missing, unless CI
// said they must be there.
func needTools(tb testing.TB, tools ...string) {
	tb.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("ARCHIVE_REQUIRE_README_TOOLS") != "" {
				tb.Fatalf("%s is not installed, and ARCHIVE_REQUIRE_README_TOOLS is set", tool)
			}
			tb.Skipf("the README's examples need %s, which is not installed (apt-get install curl python3)", tool)
		}
	}
}

// TestREADMEResearcherExamplesRun runs the exact commands of the README's
// "For researchers" section against the real program serving the posts
// that ship in content/, as `go run ./cmd/archive` does on a fresh clone,
// then checks what they printed and wrote against the answers the README
// shows and the API's own numbers.
func TestREADMEResearcherExamplesRun(t *testing.T) {
	needTools(t, "bash", "curl", "python3")
	blocks := readmeBlocks(t, "## For researchers")
	if len(blocks) != 4 {
		t.Fatalf("found %d sh blocks in For researchers, want 4 (first look, trends, CSV export, cursor paging)", len(blocks))
	}
	base, _ := startServer(t, "-content", shippedContent, "-index", t.TempDir())
	work := t.TempDir()
	outs := make([]string, len(blocks))
	for i, block := range blocks {
		cmd := strings.ReplaceAll(block.cmd, "http://localhost:8080", base)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		c := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", cmd)
		c.Dir = work
		var stdout, stderr bytes.Buffer
		c.Stdout, c.Stderr = &stdout, &stderr
		err := c.Run()
		cancel()
		if err != nil {
			t.Fatalf("README block %d failed: %v\n%s\nstderr:\n%s", i+1, err, block.cmd, stderr.String())
		}
		outs[i] = stdout.String()
	}
	t.Run("post count", func(t *testing.T) {
		m := regexp.MustCompile(`serves the (\d+)\s+posts that ship in .content/.`).FindStringSubmatch(readmeSection(t, "## For researchers"))
		if m == nil || m[1] != fmt.Sprint(shippedPosts(t)) {
			t.Errorf("README says the archive serves %v posts; content/ holds %d", m, shippedPosts(t))
		}
	})
	t.Run("shown answers", func(t *testing.T) {
		for i, b := range blocks[1:] {
			if b.shown == "" {
				t.Errorf("README block %d shows no answer", i+2)
			} else if !sameOutput(outs[i+1], b.shown) {
				t.Errorf("README block %d printed\n%s\nbut the README shows\n%s", i+2, outs[i+1], b.shown)
			}
		}
		checkShownPage(t, blocks[0].shown, outs[0])
	})
	t.Run("first look", func(t *testing.T) {
		var page struct {
			Total int `json:"total"`
			Hits  []struct {
				Slug, Title, Date string
			} `json:"hits"`
			Facets map[string][]struct{ Count int } `json:"facets"`
		}
		if err := json.Unmarshal([]byte(outs[0]), &page); err != nil || page.Total == 0 || len(page.Hits) == 0 {
			t.Fatalf("first look printed %.300q (%v), want hits for filecoin", outs[0], err)
		}
		years := 0
		for _, y := range page.Facets["year"] {
			years += y.Count
		}
		if years != page.Total {
			t.Errorf("year facet adds up to %d, total %d", years, page.Total)
		}
	})
	t.Run("trends", func(t *testing.T) {
		rows := readCSV(t, filepath.Join(work, "filecoin-vs-blockchain.csv"))
		if len(rows) < 2 || strings.Join(rows[0], ",") != "year,posts,filecoin,blockchain,filecoin_share,blockchain_share" {
			t.Fatalf("trend CSV = %v", rows)
		}
		for col, q := range map[int]string{2: "filecoin", 3: "blockchain"} {
			sum := 0
			for _, r := range rows[1:] {
				var n int
				fmt.Sscan(r[col], &n)
				sum += n
			}
			if want := apiTotal(t, base, "q="+q); sum != want {
				t.Errorf("%s column adds up to %d, /search total is %d", q, sum, want)
			}
			if !strings.Contains(outs[1], fmt.Sprintf("%s %d posts", q, sum)) {
				t.Errorf("trend script printed %q, want %q", outs[1], fmt.Sprintf("%s %d posts", q, sum))
			}
		}
	})
	t.Run("export", func(t *testing.T) {
		rows := readCSV(t, filepath.Join(work, "p2p.csv"))
		want := apiTotal(t, base, "q=p2p")
		if len(rows)-1 != want || want == 0 {
			t.Errorf("p2p.csv has %d rows, /search total is %d", len(rows)-1, want)
		}
		if !strings.HasPrefix(outs[2], fmt.Sprintf("%d rows; columns: rank, slug, date, title, authors, tags, index_build", want)) {
			t.Errorf("export check printed %q", outs[2])
		}
	})
	t.Run("cursor paging", func(t *testing.T) {
		want := apiTotal(t, base, "q=p2p")
		if !strings.HasPrefix(outs[3], fmt.Sprintf("%d of %d hits, from index build ", want, want)) {
			t.Errorf("paging printed %q, want all %d hits", outs[3], want)
		}
	})
}

// checkShownPage compares the JSON page the README shows (elided with …,
// so not parsed as JSON) with the one the server gave: the total, the
// year facet and the first hit.
func checkShownPage(t *testing.T, shown, got string) {
	t.Helper()
	first := regexp.MustCompile(`"hits":\[\{"slug":"([^"]+)"`)
	for _, re := range []*regexp.Regexp{regexp.MustCompile(`"total":\d+`), regexp.MustCompile(`"year":\[[^\]]*\]`), first} {
		want := re.FindString(shown)
		if want == "" {
			t.Errorf("the README's answer has no %s", re)
		} else if !strings.Contains(got, want) {
			t.Errorf("the README shows %s; the server answered\n%s", want, got)
		}
	}
}

// TestREADMEFirstLookOnARealBlog checks the README's figures for the same
// first look on the shared copy of the IPFS blog, which the README names.
func TestREADMEFirstLookOnARealBlog(t *testing.T) {
	section := readmeSection(t, "## For researchers")
	claim := regexp.MustCompile("(?s)`-content ../shared/(corpus/[a-z-]+)`.*?`\"total\":(\\d+)`, from (\\d{4}) \\((\\d+) posts\\) to a peak in (\\d{4})\\s+\\((\\d+)\\), led by `([a-z0-9-]+)`").FindStringSubmatch(section)
	if claim == nil {
		t.Fatal("the README no longer gives the first look's figures on a real blog; update this test")
	}
	dir := testshared.Dir(t, claim[1])
	base, _ := startServer(t, "-content", dir, "-index", t.TempDir())
	blocks := readmeBlocks(t, "## For researchers")
	u := regexp.MustCompile(`'http://localhost:8080(/[^']+)'`).FindStringSubmatch(blocks[0].cmd)
	if u == nil {
		t.Fatalf("no URL in %q", blocks[0].cmd)
	}
	code, body := fetch(t, base+u[1])
	var page struct {
		Total  int `json:"total"`
		Facets struct {
			Year []struct {
				Value string
				Count int
			}
		}
		Hits []struct{ Slug string }
	}
	if err := json.Unmarshal([]byte(body), &page); code != 200 || err != nil || len(page.Hits) == 0 || len(page.Facets.Year) == 0 {
		t.Fatalf("%s: %d %v\n%s", u[1], code, err, body)
	}
	peak := page.Facets.Year[0]
	for _, y := range page.Facets.Year {
		if y.Count > peak.Count {
			peak = y
		}
	}
	first := page.Facets.Year[0]
	got := []string{fmt.Sprint(page.Total), first.Value, fmt.Sprint(first.Count), peak.Value, fmt.Sprint(peak.Count), page.Hits[0].Slug}
	if want := claim[2:]; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("on %s the README says total, first year, its count, peak year, its count, first hit = %v; the server answered %v", dir, want, got)
	}
}

func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return rows
}

func apiTotal(tb testing.TB, base, query string) int {
	tb.Helper()
	code, body := fetch(tb, base+"/api/v1/search?per_page=1&"+query)
	var page struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &page); code != 200 || err != nil {
		tb.Fatalf("search %s: %d %v", query, code, err)
	}
	return page.Total
}

// TestREADMEReaderExamples runs the "For readers" section's examples
// against the posts that ship in content/: every address it names answers,
// a search address finds posts, and the searches it describes do what it
// says.
func TestREADMEReaderExamples(t *testing.T) {
	section := readmeSection(t, "## For readers")
	base, _ := startServer(t, "-content", shippedContent, "-index", t.TempDir())

	t.Run("addresses", func(t *testing.T) {
		paths := regexp.MustCompile("`(/[a-z][^`<…]*)`").FindAllStringSubmatch(section, -1)
		if len(paths) < 10 {
			t.Fatalf("found only %d addresses in For readers: %v", len(paths), paths)
		}
		for _, m := range paths {
			code, body := fetch(t, base+m[1])
			if code != 200 {
				t.Errorf("GET %s = %d", m[1], code)
			}
			if strings.HasPrefix(m[1], "/search?") && !strings.Contains(body, `href="/posts/`) {
				t.Errorf("GET %s lists no post", m[1])
			}
		}
	})
	t.Run("phrase", func(t *testing.T) {
		m := regexp.MustCompile("word for word: `(\"[^\"`]+\")`").FindStringSubmatch(section)
		if m == nil {
			t.Fatal("no phrase example in For readers")
		}
		if got, want := apiTotal(t, base, "q="+url.QueryEscape(m[1])), shippedMentioning(t, strings.Trim(m[1], `"`)); got != want || want == 0 {
			t.Errorf("%s found %d posts; %d shipped posts hold it", m[1], got, want)
		}
	})
	t.Run("synonyms", func(t *testing.T) {
		want := apiTotal(t, base, "q=p2p")
		for _, q := range []string{"peer-to-peer", `"peer to peer"`} {
			if got := apiTotal(t, base, "q="+url.QueryEscape(q)); got != want || want == 0 {
				t.Errorf("%s found %d posts, p2p %d", q, got, want)
			}
		}
	})
	t.Run("stems and prefixes", func(t *testing.T) {
		// advanced mode: no completion, so stream finds streaming by its stem.
		for _, q := range []string{"q=stream&mode=advanced", "q=filec"} {
			_, body := fetch(t, base+"/api/v1/search?fields=slug&per_page=100&"+q)
			if !strings.Contains(body, `"slug":"p2p-and-blockchain-have-come-of-age"`) {
				t.Errorf("%s does not find the seed post, which says streaming and Filecoin:\n%s", q, body)
			}
		}
	})
	t.Run("correction", func(t *testing.T) {
		m := regexp.MustCompile(`\*(Showing results for (\w+) — search instead for (\w+))\*`).FindStringSubmatch(section)
		if m == nil {
			t.Fatal("no correction example in For readers")
		}
		_, body := fetch(t, base+"/search?q="+m[3])
		line := regexp.MustCompile(`(?s)<p class="did-you-mean">(.*?)</p>`).FindStringSubmatch(body)
		if line == nil || regexp.MustCompile(`<[^>]*>`).ReplaceAllString(line[1], "") != m[1] {
			t.Errorf("the search page for %s says %q, the README %q", m[3], line, m[1])
		}
	})
}
