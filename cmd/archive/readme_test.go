package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/testshared"
)

// readmeBlocks returns the ```sh blocks of one README section, in order.
func readmeBlocks(tb testing.TB, heading string) []string {
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
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)\n```sh\n(.*?)\n```\n").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
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

// researchCorpus is the shared corpus of real posts when it is there, so
// the examples find something; else the repository's own content.
func researchCorpus(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "pl-research")
	if _, err := os.Stat(dir); err != nil {
		testshared.Has(tb, "corpus/pl-research") // logs the folder, or fails under ARCHIVE_REQUIRE_SHARED=1
		tb.Log("running the README against ../../content")
		return filepath.Join("..", "..", "content")
	}
	return dir
}

// TestREADMEResearcherExamplesRun runs the exact commands of the README's
// "For researchers" section against the real program, then checks what
// they printed and wrote against the API's own numbers.
func TestREADMEResearcherExamplesRun(t *testing.T) {
	needTools(t, "bash", "curl", "python3")
	blocks := readmeBlocks(t, "## For researchers")
	if len(blocks) != 4 {
		t.Fatalf("found %d sh blocks in For researchers, want 4 (first look, trends, CSV export, cursor paging)", len(blocks))
	}
	base, _ := startServer(t, "-content", researchCorpus(t), "-index", t.TempDir())
	work := t.TempDir()
	outs := make([]string, len(blocks))
	for i, block := range blocks {
		cmd := strings.ReplaceAll(block, "http://localhost:8080", base)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		c := exec.CommandContext(ctx, "bash", "-e", "-o", "pipefail", "-c", cmd)
		c.Dir = work
		var stdout, stderr bytes.Buffer
		c.Stdout, c.Stderr = &stdout, &stderr
		err := c.Run()
		cancel()
		if err != nil {
			t.Fatalf("README block %d failed: %v\n%s\nstderr:\n%s", i+1, err, block, stderr.String())
		}
		outs[i] = stdout.String()
	}
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
