package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/cmd/archive-bench/internal/fts5"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/gen"
)

// On a small generated corpus, both engines export the same rows of the
// export query and count the same months, each task is timed, and the
// table has a row for the exports' rows and rates and for the trends,
// with the ratio to FTS5. Needs SQLite with FTS5 (go test -tags
// sqlite_fts5), as .ci/run runs it.
func TestReportHasExportAndTrendsRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := gen.New(gen.DefaultSeed).Ensure(ctx, filepath.Join(dir, "corpus"), 60)
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "fts5.db")
	if _, err := fts5Build(ctx, c.Dir, dbPath); err != nil {
		if strings.Contains(err.Error(), "without FTS5") {
			t.Skip("SQLite built without FTS5; run with -tags sqlite_fts5")
		}
		t.Fatal(err)
	}
	db, err := fts5.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Searcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	store, err := index.NewStore(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Build(ctx, index.BuildOptions{Content: os.DirFS(c.Dir), ContentDir: c.Dir}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	rs, err := runResearch(ctx, 2, ix, s)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]Pair[Work]{"export by relevance": rs.ExportRelevance, "export by date": rs.ExportDate, "trends": rs.Trends} {
		if p.Blust.Rows == 0 || p.Blust.Rows != p.FTS5.Rows {
			t.Errorf("%s: rows %d (Blust) and %d (FTS5), want the same, more than none", name, p.Blust.Rows, p.FTS5.Rows)
		}
		if p.Blust.MS <= 0 || p.FTS5.MS <= 0 || p.Xapian != nil {
			t.Errorf("%s: %+v, want both engines timed and no Xapian figure", name, p)
		}
	}

	rep := &Report{Posts: c.Posts, Research: rs}
	var b bytes.Buffer
	rep.writeTable(&b)
	out := b.String()
	rel := rs.ExportRelevance
	for _, want := range []string{
		"export q=p2p, rows|" + num(float64(rel.Blust.Rows)) + "|" + num(float64(rel.FTS5.Rows)) + "|1.00|",
		"export by relevance, rows/s|" + num(rel.Blust.RowsPerSec()) + "|" + num(rel.FTS5.RowsPerSec()) + "|" + num(ratio(rel.Blust.RowsPerSec(), rel.FTS5.RowsPerSec())) + "|",
		"export by date, rows/s|" + num(rs.ExportDate.Blust.RowsPerSec()) + "|",
		"trends, 8 topics by month, ms|" + num(rs.Trends.Blust.MS) + "|" + num(rs.Trends.FTS5.MS) + "|" + num(ratio(rs.Trends.Blust.MS, rs.Trends.FTS5.MS)) + "|",
		"export by date, rows/s|" + num(rs.ExportDate.Blust.RowsPerSec()) + "|≥ 50000 and ≥ FTS5|",
		"trends, 8 topics by month, ms|" + num(rs.Trends.Blust.MS) + "|≤ 2000 (the search budget)|",
	} {
		if !strings.Contains(squeeze(out), want) {
			t.Errorf("no %q in the table:\n%s", want, out)
		}
	}
}

// squeeze drops the padding of a tabwriter table, leaving its cells
// joined by "|".
func squeeze(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		cells := strings.Split(line, "|")
		for i, c := range cells {
			cells[i] = strings.TrimSpace(c)
		}
		b.WriteString(strings.Join(cells, "|") + "\n")
	}
	return b.String()
}
