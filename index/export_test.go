package index

import (
	"context"
	"errors"
	"testing"
)

// TestExportFailsAcrossABuildSwitch: a walk started on one build and
// continued after another took over fails on "cursor", as Scan does,
// instead of mixing two builds; the held snapshot stays readable until
// Close.
func TestExportFailsAcrossABuildSwitch(t *testing.T) {
	content := trendFixture(ExportRows + 200)
	store, ix, _ := buildTestIndex(t, content)
	ctx := context.Background()
	ex, err := ix.OpenExport(ctx, Request{Query: "", Sort: SortOldest})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	first, err := ex.Next(ctx)
	if err != nil || len(first) < ExportRows || ex.Total != uint64(len(content)) {
		t.Fatalf("first step: %d rows of %d, %v", len(first), ex.Total, err)
	}
	if _, err := store.Build(ctx, BuildOptions{Content: content}); err != nil {
		t.Fatal(err)
	}
	if changed, err := ix.Reload(); !changed || err != nil {
		t.Fatalf("Reload = %v, %v", changed, err)
	}
	_, err = ex.Next(ctx)
	var re *RequestError
	if !errors.As(err, &re) || re.Param != "cursor" {
		t.Fatalf("after the switch: %v, want a *RequestError on cursor", err)
	}
}

// TestExportRefusesWhatItCannotWalk: a walk from a cursor is Scan's.
func TestExportRefusesWhatItCannotWalk(t *testing.T) {
	_, ix, _ := buildTestIndex(t, trendFixture(20))
	for _, r := range []Request{{Query: "p2p", Cursor: "x"}, {Query: "p2p", Sort: "sideways"}} {
		var re *RequestError
		if _, err := ix.OpenExport(context.Background(), r); !errors.As(err, &re) {
			t.Errorf("%+v: %v, want a *RequestError", r, err)
		}
	}
}
