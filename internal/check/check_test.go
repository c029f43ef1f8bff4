package check

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blust/archive/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite testdata/want.txt")

var now = time.Date(2026, 11, 25, 22, 0, 0, 0, time.FixedZone("AEDT", 11*3600))

func runTestdata(t *testing.T) *Report {
	t.Helper()
	rep, err := Run(os.DirFS("testdata/content"), Options{Now: now, SynonymsFile: "synonyms.yaml", Synonyms: []SynonymGroup{
		{Line: 1, Terms: []string{"p2p", "peer to peer"}},
		{Line: 2, Terms: []string{"network", "xylophonics"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestCheckFindsEachKindOfProblem(t *testing.T) {
	rep := runTestdata(t)
	type key struct {
		file, code string
		line       int
	}
	got := map[key]int{}
	for _, f := range rep.Findings {
		got[key{f.File, f.Code, f.Line}]++
	}
	want := []key{
		{"!!!.md", "missing-slug", 0},
		{"broken.md", "front-matter", 2},
		{"dup2.md", "duplicate-slug", 4}, // a warning: dup1.md keeps the slug, dup2.md is at same-2
		{"empty.md", "empty-body", 5},
		{"future.md", "future-date", 4},
		{"good.md", "link-to-draft", 15},
		{"noalt.md", "image-alt", 8},
		{"noalt.md", "image-alt", 10},
		{"sub/nested.md", "broken-link", 6},
		{"sub/nested.md", "broken-link", 7},
		{"sub/nested.md", "broken-link", 9}, // Pelican's {filename} to no file; line 8's three forms resolve
		{"synonyms.yaml", "synonyms", 2},
		{"templates.md", "unrendered", 8},
		{"templates.md", "unrendered", 10},
	}
	for _, k := range want {
		if got[k] == 0 {
			t.Errorf("no %s finding for %s line %d", k.code, k.file, k.line)
		}
		delete(got, k)
	}
	for k := range got {
		t.Errorf("unexpected finding %+v", k)
	}
	if rep.Errors() != len(want)-4 {
		t.Errorf("Errors() = %d, want %d (the synonyms, duplicate-slug and two unrendered findings are warnings)", rep.Errors(), len(want)-4)
	}
	if rep.Posts != 13 || rep.Drafts != 1 {
		t.Errorf("posts %d drafts %d, want 13 (2 files do not load) and 1", rep.Posts, rep.Drafts)
	}
}

// TestCheckOutput pins the compiler-style lines (testdata/want.txt; -update
// rewrites it) and the JSON shape.
func TestCheckOutput(t *testing.T) {
	rep := runTestdata(t)
	var lines []string
	for _, f := range rep.Findings {
		lines = append(lines, f.String("content"))
	}
	got := strings.Join(lines, "\n") + "\n"
	if *update {
		os.WriteFile("testdata/want.txt", []byte(got), 0o644)
	}
	want, err := os.ReadFile("testdata/want.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
	b, _ := json.Marshal(rep)
	var back struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(b, &back); err != nil || len(back.Findings) != len(rep.Findings) || back.Findings[0]["file"] == nil || back.Findings[0]["severity"] != "error" {
		t.Errorf("JSON = %s (%v)", b, err)
	}
}

func TestFutureMeansAfterToday(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tt := range []struct {
		date string
		want bool
	}{{"2026-11-24", false}, {"2026-11-25", false}, {"2026-11-26", true}, {"2199-01-01", true}} {
		if got := inFuture(day(tt.date), now); got != tt.want {
			t.Errorf("inFuture(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestSharedCorpusHasNoBrokenLinksReported(t *testing.T) {
	for _, dir := range []string{"ipfs-blog", "pl-research"} {
		t.Run(dir, func(t *testing.T) {
			root := "../../../shared/corpus/" + dir
			if _, err := os.Stat(root); err != nil {
				testshared.Missing(t, "corpus/"+dir, err)
			}
			rep, err := Run(os.DirFS(root), Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, f := range rep.Findings {
				counts[f.Code]++
			}
			t.Logf("%s: %d posts, findings by kind: %v", dir, rep.Posts, counts)
			if counts["front-matter"]+counts["duplicate-slug"] > 0 {
				t.Errorf("posts that index fine are reported as broken: %v", counts)
			}
		})
	}
}

// TestCheckWarnsAboutGuesses: what loading guessed is published, so it is
// a warning, not an error: a slug renamed for a clash, a date taken from
// the file name, a field ignored.
func TestCheckWarnsAboutGuesses(t *testing.T) {
	post := func(extra string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: A post\n" + extra + "---\nSome text.\n")}
	}
	fsys := fstest.MapFS{
		"2021/gc-elections.md":      post("date: 2021-09-01\n"),
		"2022/gc-elections.md":      post("date: 2022-09-01\n"),
		"2020-04-01-swallows.md":    post("date: the first of April\n"),
		"2020-04-02-link-shaped.md": post("link:\n  href: https://example.org\n"),
	}
	rep, err := Run(fsys, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ file, code string }
	got := map[key]Severity{}
	for _, f := range rep.Findings {
		got[key{f.File, f.Code}] = f.Severity
	}
	want := map[key]Severity{
		{"2022/gc-elections.md", "duplicate-slug"}:     Warning,
		{"2020-04-01-swallows.md", "date-fallback"}:    Warning,
		{"2020-04-02-link-shaped.md", "ignored-field"}: Warning,
	}
	if !reflect.DeepEqual(got, want) || rep.Errors() != 0 || rep.Posts != 4 {
		t.Errorf("findings %v (posts %d, errors %d), want %v, 4 posts, no errors", rep.Findings, rep.Posts, rep.Errors(), want)
	}
}
