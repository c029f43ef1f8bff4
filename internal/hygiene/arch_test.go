package hygiene

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// module is this repository's module path; packages under it are ours.
const module = "github.com/blust/archive"

// owners says which of our packages may import each third-party library
// (by import-path prefix): one each, so a library's types and quirks stay
// behind one package's API. A library missing here fails the test until it
// is given an owner. Test-only imports count too: they are listed by the
// package whose tests use them.
var owners = map[string][]string{
	"github.com/blevesearch/bleve/":          {"index/..."},
	"github.com/blevesearch/bleve_index_api": {"index/..."},
	"github.com/blevesearch/segment":         {"index/..."},
	"go.etcd.io/bbolt":                       {"index/..."},
	"github.com/blevesearch/vellum":          {"index/internal/vocab"},
	"github.com/golang/snappy":               {"index/internal/bodies"},
	"github.com/gin-gonic/gin":               {"web"},
	"github.com/klauspost/compress/":         {"internal/compress"},
	"github.com/yuin/goldmark":               {"internal/render"},
	"github.com/alecthomas/chroma/":          {"internal/render"},
	"github.com/microcosm-cc/bluemonday":     {"internal/render"},
	// The HTML tokenizer reads HTML in two places of different jobs:
	// Markdown's raw HTML (render) and old pages turned into posts (importer).
	"golang.org/x/net/html": {"internal/render", "internal/importer"},
	// Front matter (post) and site configs (site) are both YAML or TOML.
	"gopkg.in/yaml.v3":                {"internal/post", "internal/site"},
	"github.com/BurntSushi/toml":      {"internal/post", "internal/site"},
	"github.com/fsnotify/fsnotify":    {"internal/watch"},
	"github.com/schollz/progressbar/": {"internal/progress"},
	"golang.org/x/term":               {"internal/progress"},
	"github.com/prometheus/":          {"internal/metrics"},
	"github.com/mattn/go-sqlite3":     {"cmd/archive-bench/internal/fts5"},
	"github.com/chromedp/":            {"web"}, // browser tests only
	"github.com/pb33f/":               {"web"}, // OpenAPI contract test only
}

// binaryBans are packages the product binary must not link: the
// benchmark's SQLite baseline and corpus generator (internal/gen, which
// the index's benchmarks and the sync tests also use, so it cannot be
// internal to cmd/archive-bench), the browser driver and the OpenAPI
// validator of the tests, and the helper that finds test data.
var binaryBans = map[string][]string{
	"./cmd/archive":       {"github.com/mattn/go-sqlite3", module + "/internal/gen", "github.com/chromedp/", "github.com/pb33f/", module + "/internal/testshared"},
	"./cmd/archive-bench": {"github.com/chromedp/", "github.com/pb33f/", module + "/internal/testshared"},
}

// pkg is the part of go list -json this test reads.
type pkg struct {
	ImportPath   string
	Standard     bool
	DepOnly      bool
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// goList runs go list -deps -json on patterns from the repository's root.
func goList(t *testing.T, patterns ...string) []pkg {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping in -short: runs go list over the module")
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("skipping: no go command to list the packages")
		}
	}
	cmd := exec.Command(goBin, append([]string{"list", "-deps", "-json"}, patterns...)...)
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -json %s: %v", strings.Join(patterns, " "), err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list -json output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list -deps -json %s listed %d packages, want the whole graph", strings.Join(patterns, " "), len(pkgs))
	}
	return pkgs
}

// ours turns an import path of this module into its folder ("index",
// "internal/post"), or reports false for anyone else's.
func ours(path string) (string, bool) {
	if path == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// layer is a package's place in the arrows cmd → web → index →
// index/internal/* and internal/*; an import may only point down (or,
// for internal packages, sideways).
func layer(rel string) int {
	switch {
	case strings.HasPrefix(rel, "cmd/"):
		return 4
	case rel == "web" || strings.HasPrefix(rel, "web/"):
		return 3
	case rel == "index":
		return 2
	case strings.HasPrefix(rel, "index/internal/"):
		return 1
	default: // internal/*
		return 0
	}
}

// arrowProblem says why from may not import to (both folders), or "".
func arrowProblem(from, to string) string {
	if strings.HasPrefix(to, "cmd/") {
		// A command's own internal packages are its to use; no one else
		// imports a command.
		if cmdRoot(from) != "" && cmdRoot(from) == cmdRoot(to) {
			return ""
		}
		return "nothing imports a command"
	}
	lf, lt := layer(from), layer(to)
	switch {
	case lf == 0 && lt != 0:
		return "internal/* packages are below index and web and never import them"
	case lf == 1 && lt == 2:
		return "index/internal/* serves index and never imports it"
	case lf == 3 && lt == 1:
		return "web reads the index through index's API, not index/internal/*"
	case lt > lf:
		return "imports point down: cmd → web → index → index/internal/* and internal/*"
	}
	return ""
}

// cmdRoot is "cmd/NAME" for a package under a command, else "".
func cmdRoot(rel string) string {
	parts := strings.SplitN(rel, "/", 3)
	if len(parts) < 2 || parts[0] != "cmd" {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// owned reports whether folder rel may import the third-party path, and
// whether the library has an owner at all.
func owned(rel, path string) (allowed, known bool) {
	for prefix, who := range owners {
		if !strings.HasPrefix(path, prefix) {
			continue
		}
		known = true
		for _, w := range who {
			if tree, ok := strings.CutSuffix(w, "/..."); ok && (rel == tree || strings.HasPrefix(rel, tree+"/")) || w == rel {
				return true, true
			}
		}
	}
	return false, known
}

// TestArchitecture checks every import of every package of the module,
// tests' imports included: the arrows point one way and each third-party
// library is imported only by its owner.
func TestArchitecture(t *testing.T) {
	seen := 0
	for _, p := range goList(t, "./...") {
		from, mine := ours(p.ImportPath)
		if !mine || p.DepOnly {
			continue
		}
		seen++
		imports := slices.Concat(p.Imports, p.TestImports, p.XTestImports)
		slices.Sort(imports)
		for _, imp := range slices.Compact(imports) {
			if to, mine := ours(imp); mine {
				if to == from || strings.HasPrefix(p.ImportPath, "_") {
					continue
				}
				if to == "internal/testshared" && !slices.Contains(p.Imports, imp) {
					continue // the tests' helper, checked in the binaries below
				}
				if why := arrowProblem(from, to); why != "" {
					t.Errorf("%s imports %s: %s", from, to, why)
				}
				continue
			}
			if isStd(imp) {
				continue
			}
			switch allowed, known := owned(from, imp); {
			case !known:
				t.Errorf("%s imports %s, a library with no owner: add it to owners in arch_test.go, naming the one package that may import it", from, imp)
			case !allowed:
				t.Errorf("%s imports %s, which only %s may import", from, imp, ownerOf(imp))
			}
		}
	}
	if seen < 15 {
		t.Fatalf("checked %d of our packages, want all of them", seen)
	}
}

// isStd reports whether an import path is the standard library's: its
// first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func ownerOf(path string) string {
	for prefix, who := range owners {
		if strings.HasPrefix(path, prefix) {
			return strings.Join(who, " and ")
		}
	}
	return "nobody"
}

// TestArrowRules pins the arrow rules themselves, so a loosened rule fails
// here rather than passing every package silently.
func TestArrowRules(t *testing.T) {
	tests := []struct {
		from, to string
		ok       bool
	}{
		{"cmd/archive", "web", true},
		{"cmd/archive", "index", true},
		{"cmd/archive", "internal/post", true},
		{"cmd/archive-bench", "cmd/archive-bench/internal/fts5", true},
		{"cmd/archive-bench", "cmd/archive", false},
		{"web", "cmd/archive", false},
		{"web", "index", true},
		{"web", "internal/render", true},
		{"web", "index/internal/schema", false},
		{"index", "web", false},
		{"index", "index/internal/schema", true},
		{"index", "internal/post", true},
		{"index/internal/store", "index/internal/schema", true},
		{"index/internal/store", "index", false},
		{"index/internal/store", "internal/post", true},
		{"internal/post", "index", false},
		{"internal/post", "web", false},
		{"internal/post", "index/internal/schema", false},
		{"internal/check", "internal/post", true},
	}
	for _, tt := range tests {
		if got := arrowProblem(tt.from, tt.to) == ""; got != tt.ok {
			t.Errorf("%s → %s allowed = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
	for _, c := range []struct {
		from, path string
		ok         bool
	}{
		{"index", "github.com/blevesearch/bleve/v2/search/query", true},
		{"index/internal/schema", "github.com/blevesearch/bleve/v2/mapping", true},
		{"web", "github.com/blevesearch/bleve/v2", false},
		{"internal/render", "github.com/gin-gonic/gin", false},
		{"web", "github.com/gin-gonic/gin", true},
		{"indexer", "github.com/blevesearch/bleve/v2", false},
	} {
		if got, _ := owned(c.from, c.path); got != c.ok {
			t.Errorf("owned(%s, %s) = %v, want %v", c.from, c.path, got, c.ok)
		}
	}
}

// TestBinariesLinkNoTestCode lists what each command links and fails on a
// package only tests or the benchmark may use.
func TestBinariesLinkNoTestCode(t *testing.T) {
	for bin, bans := range binaryBans {
		pkgs := goList(t, bin)
		if !slices.ContainsFunc(pkgs, func(p pkg) bool { return p.ImportPath == module+"/"+strings.TrimPrefix(bin, "./") }) {
			t.Fatalf("go list -deps %s did not list the command itself", bin)
		}
		for _, p := range pkgs {
			for _, bad := range bans {
				if strings.HasPrefix(p.ImportPath, bad) {
					t.Errorf("%s links %s, which it must not ship", bin, p.ImportPath)
				}
			}
		}
	}
}
