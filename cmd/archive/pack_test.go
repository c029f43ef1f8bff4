package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/pack"
)

// shippedFixture is a packed build of three small posts.
type shippedFixture struct {
	content, index, file, id string
}

func newShipped(t *testing.T) shippedFixture {
	t.Helper()
	f := shippedFixture{content: t.TempDir(), index: t.TempDir()}
	for i := 1; i <= 3; i++ {
		writeFile(t, filepath.Join(f.content, fmt.Sprintf("p%d.md", i)),
			fmt.Sprintf("---\ntitle: Post %d\ndate: 2021-03-0%d\ntags: [fruit]\n---\n\nPost %d is about apples and pears.\n", i, i, i))
	}
	runOK(t, "-content", f.content, "-index", f.index, "-reindex")
	f.file = filepath.Join(t.TempDir(), "build.tar.zst")
	out := runOK(t, "-content", f.content, "-index", f.index, "pack", "-o", f.file)
	m := packedLabel.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pack said %q", out)
	}
	f.id = m[1]
	return f
}

// TestReadOnlyServesAShippedBuild: a pack unpacked into an empty folder
// is served by -read-only with no content folder, article pages included.
func TestReadOnlyServesAShippedBuild(t *testing.T) {
	f := newShipped(t)
	rep := t.TempDir()
	out := runOK(t, "-index", rep, "unpack", "-i", f.file)
	if !strings.Contains(out, "unpacked build "+f.id) {
		t.Errorf("unpack said %q", out)
	}
	if out := runOK(t, "-index", rep, "unpack", "-i", f.file); !strings.Contains(out, "already current") {
		t.Errorf("a second unpack said %q", out)
	}
	base, _ := startServer(t, "-index", rep, "-read-only", "-content", filepath.Join(t.TempDir(), "none"))
	res, body := get(t, base+"/api/v1/search?q=pears", "ro-1")
	if res.StatusCode != 200 || res.Header.Get("X-Archive-Index") != f.id || !strings.Contains(body, `"total":3`) {
		t.Errorf("search on the replica: %d %s %s", res.StatusCode, res.Header.Get("X-Archive-Index"), tail(body, 300))
	}
	if code, body := fetch(t, base+"/posts/p2"); code != 200 || !strings.Contains(body, "Post 2 is about apples") {
		t.Errorf("article on the replica: %d %s", code, tail(body, 300))
	}
}

// TestUnpackRefusesDamagedAndForeignPacks: a flipped byte, a cut file and
// a build packed by another program version are refused, naming what is
// wrong, and leave the replica's folder as it was.
func TestUnpackRefusesDamagedAndForeignPacks(t *testing.T) {
	f := newShipped(t)
	data, err := os.ReadFile(f.file)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)*2/3] ^= 0x55
	store, err := index.NewStore(f.index)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.tar.zst")
	of, err := os.Create(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pack.Write(of, pack.Manifest{Build: f.id, Program: "v0.0.1-other", MappingVersion: index.ServedMappingVersion()},
		[]pack.Tree{{Prefix: pack.BuildPrefix, Dir: store.BuildPath(f.id)}}); err != nil {
		t.Fatal(err)
	}
	of.Close()
	cases := []struct {
		name string
		file string
		want []string
	}{
		{"flipped byte", writeTemp(t, flipped), []string{"damaged"}},
		{"cut short", writeTemp(t, data[:len(data)*2/3]), []string{"truncated"}},
		{"another version", other, []string{"made by archive v0.0.1-other", "this is archive " + programVersion(), fmt.Sprintf("index mapping %d", index.ServedMappingVersion())}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := t.TempDir()
			_, err := unpackInto(rep, c.file, pack.DefaultLimits)
			if err == nil {
				t.Fatal("unpacked")
			}
			for _, w := range append(c.want, c.file) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if _, err := os.Stat(filepath.Join(rep, "CURRENT")); err == nil {
				t.Errorf("CURRENT was written")
			}
			if left, _ := os.ReadDir(filepath.Join(rep, "builds")); len(left) > 0 {
				t.Errorf("left behind in builds/: %v", left)
			}
		})
	}
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "build.tar.zst")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadOnlyKeepsServingWhatItHas: CURRENT naming a build that is not
// there, or one made by another version, leaves the replica serving its
// build while /readyz says 503 and why; putting CURRENT back makes it
// ready again. A replica started with nothing to serve says why, and
// serves the first build unpacked.
func TestReadOnlyKeepsServingWhatItHas(t *testing.T) {
	f := newShipped(t)
	rep := t.TempDir()
	runOK(t, "-index", rep, "unpack", "-i", f.file)
	base, _ := startServer(t, "-index", rep, "-read-only")

	foreign := "20200101T000000-abcdef"
	copyTree(t, filepath.Join(rep, "builds", f.id), filepath.Join(rep, "builds", foreign))
	var m map[string]any
	mf := filepath.Join(rep, "builds", foreign, "manifest.json")
	b, _ := os.ReadFile(mf)
	json.Unmarshal(b, &m)
	m["id"], m["mapping_version"] = foreign, index.ServedMappingVersion()-1
	b, _ = json.Marshal(m)
	writeFile(t, mf, string(b))

	cases := []struct {
		name, current string
		want          []string
	}{
		{"missing build", "20200101T000000-0000ff", []string{"names build 20200101T000000-0000ff, which is not in"}},
		{"another version", foreign, []string{fmt.Sprintf("index mapping %d", index.ServedMappingVersion()-1), fmt.Sprintf("index mapping %d", index.ServedMappingVersion())}},
		{"not a build id", "../../etc", []string{`names "../../etc", which is not a build id`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writeFile(t, filepath.Join(rep, "CURRENT"), c.current+"\n")
			reason := waitReady(t, base, http.StatusServiceUnavailable)
			for _, w := range c.want {
				if !strings.Contains(reason, w) {
					t.Errorf("/readyz %q does not say %q", reason, w)
				}
			}
			res, _ := get(t, base+"/api/v1/search?q=pears", "keep-serving")
			if res.StatusCode != 200 || res.Header.Get("X-Archive-Index") != f.id {
				t.Errorf("search while CURRENT is wrong: %d from %q, want 200 from %s", res.StatusCode, res.Header.Get("X-Archive-Index"), f.id)
			}
			writeFile(t, filepath.Join(rep, "CURRENT"), f.id+"\n")
			waitReady(t, base, http.StatusOK)
		})
	}

	empty := t.TempDir()
	base, _ = startServer(t, "-index", empty, "-read-only")
	if reason := waitReady(t, base, http.StatusServiceUnavailable); !strings.Contains(reason, "no build in "+empty) {
		t.Errorf("/readyz with nothing to serve: %q", reason)
	}
	if code, _ := fetch(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz with nothing to serve: %d", code)
	}
	if code, _ := fetch(t, base+"/api/v1/search?q=pears"); code != http.StatusServiceUnavailable {
		t.Errorf("search with nothing to serve: %d, want 503", code)
	}
	runOK(t, "-index", empty, "unpack", "-i", f.file)
	waitReady(t, base, http.StatusOK)
}

// waitReady polls /readyz until it answers status, and returns its reason.
func waitReady(t *testing.T, base string, status int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			last = string(b)
			if res.StatusCode == status {
				var body struct{ Reason string }
				json.Unmarshal(b, &body)
				return body.Reason
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/readyz never answered %d; last: %s", status, last)
	return ""
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPackRefusesWhileAServerWrites: a server may sync into its build at
// any moment, so pack, which must read a build that holds still, says so
// instead of packing a build in motion.
func TestPackRefusesWhileAServerWrites(t *testing.T) {
	f := newShipped(t)
	startServer(t, "-content", f.content, "-index", f.index)
	err := run(t.Context(), []string{"-content", f.content, "-index", f.index, "pack", "-o", filepath.Join(t.TempDir(), "x.tar.zst")}, io.Discard, io.Discard)
	if exitStatus(err) != 2 || !strings.Contains(err.Error(), "a server or a reindex is using") {
		t.Errorf("pack beside a server: %v, want exit 2 saying a server uses the index", err)
	}
}

// TestReadOnlyServesALocalBuild: a build made here by -reindex, which
// was not shipped, is served read-only with -content's folder.
func TestReadOnlyServesALocalBuild(t *testing.T) {
	f := newShipped(t)
	base, _ := startServer(t, "-index", f.index, "-read-only", "-content", f.content)
	res, _ := get(t, base+"/api/v1/search?q=pears", "local")
	if res.StatusCode != 200 || res.Header.Get("X-Archive-Index") != f.id {
		t.Errorf("search: %d from %q, want 200 from %s", res.StatusCode, res.Header.Get("X-Archive-Index"), f.id)
	}
	if code, body := fetch(t, base+"/posts/p1"); code != 200 || !strings.Contains(body, "Post 1 is about apples") {
		t.Errorf("article: %d %s", code, tail(body, 300))
	}
}

// TestReadOnlySwitchesUnderLoad: requests running while a replica
// switches builds all succeed, each answered by one build; the old build
// is closed once they are done.
func TestReadOnlySwitchesUnderLoad(t *testing.T) {
	a, b := newShipped(t), newShipped(t)
	rep := t.TempDir()
	runOK(t, "-index", rep, "unpack", "-i", a.file)
	base, logs := startServer(t, "-index", rep, "-read-only")
	load := startLoad(base, []string{"p1", "p2", "p3"}, a.id, b.id, 8)
	time.Sleep(300 * time.Millisecond)
	runOK(t, "-index", rep, "unpack", "-i", b.file)
	waitBuild(t, base, b.id, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	st := load.stop()
	if st.failed > 0 || st.byBuild[a.id] == 0 || st.byBuild[b.id] == 0 {
		t.Errorf("%d of %d requests failed (first: %s); by build %v", st.failed, st.requests, st.firstFailure, st.byBuild)
	}
	if !strings.Contains(logs.String(), "switched index build") {
		t.Errorf("no switch logged:\n%s", tail(logs.String(), 2000))
	}
}
