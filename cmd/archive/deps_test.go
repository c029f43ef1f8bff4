package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryHasNoSQLite keeps the benchmark's SQLite baseline out of the
// archive binary: only cmd/archive-bench may link it.
func TestBinaryHasNoSQLite(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed %d packages, want the archive's whole graph", len(deps))
	}
	for _, d := range deps {
		if strings.Contains(strings.ToLower(d), "sqlite") {
			t.Errorf("cmd/archive depends on %s; SQLite belongs in cmd/archive-bench only", d)
		}
	}
}
