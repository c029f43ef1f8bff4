package main

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dockerfile is the container's recipe with the facts the tests check,
// read from cmd/archive/deploy/Dockerfile.
type dockerfile struct {
	text     string
	instrs   []instruction
	final    int               // the last stage, the image
	env      map[string]string // the final stage's ENV
	buildRun []string          // the words of the RUN line with go build
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	d := dockerfile{text: readDeployFile(t, "Dockerfile"), env: map[string]string{}}
	d.instrs = parseDockerfile(d.text)
	for _, in := range d.instrs {
		d.final = in.stage
	}
	for _, in := range d.instrs {
		if in.cmd == "ENV" && in.stage == d.final {
			for _, w := range shellWords(in.args) {
				k, v, ok := strings.Cut(w, "=")
				if !ok {
					t.Fatalf("Dockerfile:%d: ENV %q: only the KEY=value form is read", in.line, w)
				}
				d.env[k] = v
			}
		}
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			if d.buildRun != nil {
				t.Fatalf("Dockerfile:%d: a second RUN with go build", in.line)
			}
			d.buildRun = shellWords(in.args)
		}
	}
	if d.buildRun == nil {
		t.Fatal("Dockerfile: no RUN line with go build")
	}
	return d
}

// the final stage's instructions named cmd.
func (d dockerfile) inFinal(cmd string) []instruction {
	var out []instruction
	for _, in := range d.instrs {
		if in.stage == d.final && in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// execForm reads a JSON-array (exec form) argument list.
func execForm(t *testing.T, in instruction, args string) []string {
	t.Helper()
	var list []string
	if err := json.Unmarshal([]byte(args), &list); err != nil || len(list) == 0 {
		t.Fatalf("Dockerfile:%d: %s %s is not in exec form [\"/archive\", ...]: %v", in.line, in.cmd, args, err)
	}
	return list
}

// goBuild splits the build line into its environment (CGO_ENABLED=0),
// go build's arguments and the output path the image copies.
func (d dockerfile) goBuild(t *testing.T) (env, args []string, out string) {
	t.Helper()
	words := d.buildRun
	for len(words) > 0 && regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`).MatchString(words[0]) {
		env, words = append(env, words[0]), words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("Dockerfile: the build line %q is not VAR=value... go build ...", d.buildRun)
	}
	if strings.ContainsAny(strings.Join(words, " "), "&|;") {
		t.Fatalf("Dockerfile: the go build line %q holds other commands; keep it one command so this test reads it", d.buildRun)
	}
	args = words[2:]
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			out = args[i+1]
		}
	}
	if out == "" {
		t.Fatalf("Dockerfile: go build has no -o: %q", d.buildRun)
	}
	return env, args, out
}

// TestDockerfile checks what the Dockerfile promises without building
// the image (no registry is reachable from CI to pull the base images):
// a Go of go.mod's version, a static build, an empty base, a user that
// is not root, the index on a volume, a HEALTHCHECK through the
// binary's own healthcheck command, an exec-form ENTRYPOINT that gets
// SIGTERM, and documented docker run commands that mount the posts
// read-only and give the archive longer than its stop limit.
func TestDockerfile(t *testing.T) {
	d := readDockerfile(t)
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goLine == nil {
		t.Fatal("go.mod has no go line")
	}
	var froms []instruction
	for _, in := range d.instrs {
		if in.cmd == "FROM" {
			froms = append(froms, in)
		}
	}
	if len(froms) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and the image", len(froms))
	}
	if want := "golang:" + string(goLine[1]) + "-"; !strings.HasPrefix(froms[0].args, want) {
		t.Errorf("Dockerfile:%d: FROM %s, want %s... (go.mod's go line)", froms[0].line, froms[0].args, want)
	}
	if f := froms[len(froms)-1].args; f != "scratch" && !strings.HasPrefix(f, "gcr.io/distroless/static") {
		t.Errorf("the image is FROM %s, want scratch or distroless/static: nothing but the binary", f)
	}

	env, args, out := d.goBuild(t)
	if !contains(env, "CGO_ENABLED=0") || !contains(args, "-trimpath") || !strings.Contains(strings.Join(args, " "), "-ldflags") {
		t.Errorf("the build line %q needs CGO_ENABLED=0, -trimpath and -ldflags", d.buildRun)
	}

	users := d.inFinal("USER")
	if len(users) == 0 {
		t.Fatal("the image has no USER: it would run as root")
	}
	user := users[len(users)-1].args
	if u, _, _ := strings.Cut(user, ":"); u == "root" || u == "0" {
		t.Errorf("USER %s is root", user)
	}

	for _, k := range []string{"ARCHIVE_CONTENT", "ARCHIVE_INDEX", "ARCHIVE_ADDR"} {
		if d.env[k] == "" {
			t.Errorf("the image sets no %s", k)
		}
	}
	var volumes []string
	for _, in := range d.inFinal("VOLUME") {
		volumes = append(volumes, execForm(t, in, in.args)...)
	}
	if !contains(volumes, d.env["ARCHIVE_INDEX"]) {
		t.Errorf("VOLUME %v does not hold the index folder %s", volumes, d.env["ARCHIVE_INDEX"])
	}
	if contains(volumes, d.env["ARCHIVE_CONTENT"]) {
		t.Errorf("VOLUME %v holds the content folder: docker would make it a writable volume; it is mounted read-only instead", volumes)
	}

	eps := d.inFinal("ENTRYPOINT")
	if len(eps) != 1 {
		t.Fatalf("the image has %d ENTRYPOINTs, want 1", len(eps))
	}
	ep := execForm(t, eps[0], eps[0].args)
	copied := false
	for _, in := range d.inFinal("COPY") {
		w := shellWords(in.args)
		copied = copied || (len(w) >= 2 && w[len(w)-2] == out && w[len(w)-1] == ep[0])
	}
	if !copied {
		t.Errorf("no COPY puts the built %s at the ENTRYPOINT's %s", out, ep[0])
	}
	if s := d.inFinal("STOPSIGNAL"); len(s) > 0 && s[0].args != "SIGTERM" {
		t.Errorf("STOPSIGNAL %s: the archive stops cleanly on SIGTERM", s[0].args)
	}

	hcs := d.inFinal("HEALTHCHECK")
	if len(hcs) != 1 {
		t.Fatalf("the image has %d HEALTHCHECKs, want 1", len(hcs))
	}
	_, cmd, ok := strings.Cut(hcs[0].args, "CMD ")
	if !ok {
		t.Fatalf("HEALTHCHECK %s has no CMD", hcs[0].args)
	}
	hc := execForm(t, hcs[0], cmd)
	if len(hc) != 2 || hc[0] != ep[0] || hc[1] != "healthcheck" {
		t.Errorf("HEALTHCHECK CMD %q, want [%q, \"healthcheck\"]: the image has no curl", hc, ep[0])
	}
	if u, err := healthURL(d.env["ARCHIVE_ADDR"]); err != nil || !strings.HasSuffix(u, "/healthz") {
		t.Errorf("the health check asks %q (%v), want /healthz", u, err)
	}

	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []struct{ name, text string }{{"Dockerfile", d.text}, {"README.md", string(readme)}} {
		runs := documentedCommands(src.text, "docker run")
		if len(runs) == 0 {
			t.Errorf("%s shows no docker run command", src.name)
		}
		for _, r := range runs {
			checkDockerRun(t, src.name, r, d.env)
		}
	}
}

// checkDockerRun: a documented docker run mounts the posts read-only at
// the image's content folder, the index at its index folder, and lets the
// archive stop within its own limit.
func checkDockerRun(t *testing.T, where, cmd string, env map[string]string) {
	t.Helper()
	w := shellWords(cmd)
	var mounts []string
	stopTimeout := 10 // docker's default
	for i := 0; i+1 < len(w); i++ {
		switch w[i] {
		case "-v", "--volume":
			mounts = append(mounts, w[i+1])
		case "--stop-timeout":
			stopTimeout, _ = strconv.Atoi(w[i+1])
		}
	}
	var content, index bool
	for _, m := range mounts {
		parts := strings.Split(m, ":")
		if len(parts) >= 2 && parts[1] == env["ARCHIVE_CONTENT"] {
			content = true
			if len(parts) < 3 || !contains(strings.Split(parts[2], ","), "ro") {
				t.Errorf("%s: %q mounts the posts writable; add :ro", where, cmd)
			}
		}
		index = index || (len(parts) >= 2 && parts[1] == env["ARCHIVE_INDEX"])
	}
	if !content || !index {
		t.Errorf("%s: %q does not mount both the posts at %s and the index at %s", where, cmd, env["ARCHIVE_CONTENT"], env["ARCHIVE_INDEX"])
	}
	if time.Duration(stopTimeout)*time.Second <= stopLimit {
		t.Errorf("%s: %q gives the archive %ds to stop; its own limit is %v, so docker would kill it mid-shutdown (--stop-timeout)", where, cmd, stopTimeout, stopLimit)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDockerfileBinary builds the binary with the Dockerfile's own build
// line, checks that it is static and holds no path of this machine, then
// runs it as the image would (its ENV; as its USER when the test runs as
// root, with the posts read-only): the HEALTHCHECK command says healthy,
// and SIGTERM stops it with status 0.
func TestDockerfileBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the archive with the Dockerfile's flags; skipped with -short")
	}
	d := readDockerfile(t)
	env, args, out := d.goBuild(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "archive")
	for i, a := range args {
		if a == out {
			args[i] = bin
		}
	}
	build := exec.Command("go", append([]string{"build"}, args...)...)
	build.Dir = repoRoot
	build.Env = append(os.Environ(), env...)
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %q: %v\n%s", args, err, b)
	}
	checkStatic(t, bin)

	content, index := filepath.Join(dir, "content"), filepath.Join(dir, "index")
	writeDeployFixture(t, content)
	cmdEnv := []string{"PATH=/usr/bin:/bin"}
	for k, v := range d.env {
		cmdEnv = append(cmdEnv, k+"="+v)
	}
	addr := freeAddr(t)
	cmdEnv = append(cmdEnv, "ARCHIVE_CONTENT="+content, "ARCHIVE_INDEX="+index, "ARCHIVE_ADDR="+addr)
	if err := os.Mkdir(index, 0o755); err != nil {
		t.Fatal(err)
	}
	cred := asImageUser(t, d, dir, content, index)

	var logs bytes.Buffer
	srv := exec.Command(bin)
	srv.Env, srv.Stdout, srv.Stderr = cmdEnv, &logs, &logs
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() {
		if srv.ProcessState == nil {
			srv.Process.Kill()
			<-exited
		}
	}()

	hc := d.inFinal("HEALTHCHECK")[0]
	_, hcArgs, _ := strings.Cut(hc.args, "CMD ")
	probeArgs := execForm(t, hc, hcArgs)[1:]
	var said []byte
	deadline := time.Now().Add(2 * time.Minute) // a hang watchdog, not a speed limit
	for {
		probe := exec.Command(bin, probeArgs...)
		probe.Env = cmdEnv
		var err error
		if said, err = probe.CombinedOutput(); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the archive exited before it was healthy: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("never healthy; the health check said %s\nlogs:\n%s", said, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(string(said), "/healthz answered 200") {
		t.Errorf("the health check said %q, want a 200 from /healthz", said)
	}
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM the archive exited with %v, want status 0\n%s", err, logs.String())
		}
	case <-time.After(stopLimit + 10*time.Second):
		t.Fatalf("still running %v after SIGTERM\n%s", stopLimit+10*time.Second, logs.String())
	}
	if !strings.Contains(logs.String(), `"msg":"shutting down"`) {
		t.Errorf("no JSON shutting-down line in the logs (ARCHIVE_LOG_FORMAT from the image):\n%s", logs.String())
	}
}

// checkStatic: no program interpreter and no shared libraries, so the
// binary runs on an empty base; and -trimpath left no path of this
// machine in it.
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has a program interpreter: it is linked dynamically", bin)
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v (%v)", bin, libs, err)
	}
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(abs+"/")) {
		t.Errorf("%s holds the build machine's path %s: -trimpath did not apply", bin, abs)
	}
}

// asImageUser makes the run look like the image's: when the test runs as
// root, the archive runs as the Dockerfile's USER, owns only the index
// folder, and finds the posts read-only. Otherwise it runs as the
// test's user (said in the log).
func asImageUser(t *testing.T, d dockerfile, dir, content, index string) *syscall.Credential {
	t.Helper()
	users := d.inFinal("USER")
	uidS, gidS, _ := strings.Cut(users[len(users)-1].args, ":")
	uid, err1 := strconv.Atoi(uidS)
	gid, err2 := strconv.Atoi(gidS)
	if err1 != nil || err2 != nil {
		t.Fatalf("USER %s: want numeric uid:gid, which need no /etc/passwd lookup", users[len(users)-1].args)
	}
	if os.Geteuid() != 0 {
		t.Logf("not root: the archive runs as this test's user, not the image's %d:%d", uid, gid)
		return nil
	}
	// The folders above must be passable by that user.
	for p := dir; p != filepath.Dir(p) && strings.HasPrefix(p, os.TempDir()); p = filepath.Dir(p) {
		if p == os.TempDir() {
			break
		}
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(index, uid, gid); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(content, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.Chmod(p, 0o555)
		}
		return os.Chmod(p, 0o444)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(content, 0o755) })
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

// writeDeployFixture writes two small posts of this test's own.
func writeDeployFixture(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, title := range []string{"Shipping a container", "A service unit"} {
		body := fmt.Sprintf("---\ntitle: %s\ndate: 2024-0%d-15\ntags: [deploy]\n---\n\nA short post about %s, written for the deployment test.\n", title, i+1, strings.ToLower(title))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("post-%d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDockerIgnoreKeepsTheBuild: the build context the ignore file leaves
// holds every file the binary is built from (its Go files and embedded
// files, go.mod, go.sum), and leaves out the history and the posts.
func TestDockerIgnoreKeepsTheBuild(t *testing.T) {
	ignored := ignoreMatcher(t, readDeployFile(t, "Dockerfile.dockerignore"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	list := exec.CommandContext(ctx, "go", "list", "-deps", "-json", "./cmd/archive")
	list.Dir = repoRoot
	outb, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	need := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(bytes.NewReader(outb))
	for {
		var p struct {
			Dir        string
			Standard   bool
			Module     *struct{ Main bool }
			GoFiles    []string
			EmbedFiles []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Standard || p.Module == nil || !p.Module.Main {
			continue
		}
		rel, err := filepath.Rel(abs, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range append(p.GoFiles, p.EmbedFiles...) {
			need = append(need, filepath.ToSlash(filepath.Join(rel, f)))
		}
	}
	if len(need) < 20 {
		t.Fatalf("only %d files found to build from: go list was not read", len(need))
	}
	for _, f := range need {
		if ignored(f) {
			t.Errorf("the ignore file leaves %s out of the build context; the build needs it", f)
		}
	}
	for _, f := range []string{".git/HEAD", "content/p2p-and-blockchain-have-come-of-age.md", "web/testdata/x.md", "cmd/archive/run_test.go"} {
		if !ignored(f) {
			t.Errorf("%s is in the build context; the image does not need it", f)
		}
	}
}
