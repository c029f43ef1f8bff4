package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blust/archive/cmd/archive/internal/indexer"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/pack"
	"github.com/blust/archive/internal/render"
	"github.com/blust/archive/web"
)

// A read replica (-read-only) serves builds shipped with archive pack and
// installed with archive unpack: it takes no writer lock, reads no
// content folder of its own (each build brings the content it was made
// from), and neither syncs nor watches. It polls CURRENT; when CURRENT
// names another build it opens that build with its content beside the
// serving one, switches every new request to it at once, and closes the
// old build when the requests on it have finished. Each request is
// answered wholly by one build.

// followEvery is how often a replica reads CURRENT, and retryOpenEvery
// how often it tries again to open a build that failed to open.
const (
	followEvery    = 500 * time.Millisecond
	retryOpenEvery = 10 * time.Second
)

// replica is the read-only server's handler: the build it serves, and
// why it is not ready when it is not.
type replica struct {
	cfg   *config
	log   *slog.Logger
	store *index.Store
	r     *render.Renderer

	cur     atomic.Pointer[servedBuild]
	problem atomic.Pointer[string] // why /readyz says 503 while a build serves; "" or nil: none
	lastLog string                 // the problem last logged, so each is logged once
	// failedID is the build that last failed to open, at failedAt.
	failedID string
	failedAt time.Time
	retired  sync.WaitGroup
}

// servedBuild is one open build with its web server. refs counts the
// requests in it; once closing is set no new request enters.
type servedBuild struct {
	id, label string
	ix        *index.Index
	h         http.Handler
	close     func()
	refs      atomic.Int64
	closing   atomic.Bool
}

// serveReadOnly serves the builds unpacked into cfg.indexDir until ctx
// ends.
func serveReadOnly(ctx context.Context, cfg *config, log *slog.Logger) error {
	if cfg.indexDir == "" {
		return &exitError{code: 2, msg: "-read-only needs -index DIR (or $ARCHIVE_INDEX): the folder archive unpack installs builds into"}
	}
	ln, err := listen(cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	store, err := index.NewStore(cfg.indexDir)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	rp := &replica{cfg: cfg, log: log, store: store, r: render.New()}
	defer rp.shutdown()
	rp.follow() // at once, so a build that opens serves the first request
	fctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { rp.followLoop(fctx) })
	defer func() { stop(); wg.Wait() }()
	attrs := []any{"url", "http://" + ln.Addr().String() + "/", "index", cfg.indexDir}
	if b := rp.cur.Load(); b != nil {
		log.Info("serving the archive read-only", append(attrs, "build", b.label)...)
	} else {
		log.Warn("listening read-only with no build to serve yet; /readyz says why", append(attrs, "reason", rp.reason())...)
	}
	return serveHTTP(ctx, ln, rp, cfg.limits.WriteTimeout(), log)
}

func (rp *replica) followLoop(ctx context.Context) {
	t := time.NewTicker(followEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rp.follow()
		}
	}
}

// follow reads CURRENT and switches to the build it names if that is
// another one this program can serve; otherwise it keeps serving what it
// has and records why for /readyz.
func (rp *replica) follow() {
	id, err := rp.named()
	cur := rp.cur.Load()
	switch {
	case err != nil:
		rp.setProblem(err.Error())
		return
	case cur != nil && cur.id == id:
		rp.setProblem("")
		return
	}
	if id == rp.failedID && time.Since(rp.failedAt) < retryOpenEvery {
		return // opening a big build costs; a broken one is tried again now and then
	}
	b, err := rp.open(id)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return // archive unpack is still finishing the build: the next poll takes it
	}
	if err != nil {
		rp.failedID, rp.failedAt = id, time.Now()
		rp.setProblem(err.Error())
		return
	}
	rp.failedID = ""
	rp.cur.Store(b)
	rp.setProblem("")
	if cur == nil {
		return
	}
	rp.log.Info("switched index build", "from", cur.label, "to", b.label, "posts", b.ix.Manifest().Posts)
	rp.retired.Go(func() { rp.retire(cur) })
}

// named is the build CURRENT names, when it is there to open; the error
// says what is wrong in words fit for /readyz.
func (rp *replica) named() (string, error) {
	root := rp.store.Root()
	b, err := os.ReadFile(filepath.Join(root, "CURRENT"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no build in %s yet: install one with archive -index %s unpack -i build.tar.zst", root, root)
	}
	if err != nil {
		return "", fmt.Errorf("index folder %s: %w", root, err)
	}
	id := strings.TrimSpace(string(b))
	if !index.ValidBuildID(id) {
		return "", fmt.Errorf("%s names %q, which is not a build id: install a build with archive unpack", filepath.Join(root, "CURRENT"), printable(truncateRunes(id, 64)))
	}
	if _, err := os.Stat(filepath.Join(rp.store.BuildPath(id), "manifest.json")); err != nil {
		return "", fmt.Errorf("%s names build %s, which is not in %s: install it with archive unpack", filepath.Join(root, "CURRENT"), id, filepath.Join(root, "builds"))
	}
	return id, nil
}

func truncateRunes(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// setProblem records why the replica is not ready (or "" for nothing),
// logging each new problem once.
func (rp *replica) setProblem(p string) {
	rp.problem.Store(&p)
	if p == rp.lastLog {
		return
	}
	rp.lastLog = p
	switch {
	case p == "":
		rp.log.Info("index folder fit to serve again")
	case rp.cur.Load() != nil:
		rp.log.Error("not switching build; serving the one open", "build", rp.cur.Load().label, "reason", p)
	default:
		rp.log.Error("no build to serve", "reason", p)
	}
}

func (rp *replica) reason() string {
	if p := rp.problem.Load(); p != nil {
		return *p
	}
	return ""
}

// open opens build id with the content it was shipped with, after
// checking this program may serve it.
func (rp *replica) open(id string) (*servedBuild, error) {
	bcfg, err := rp.buildConfig(id)
	if err != nil {
		return nil, err
	}
	syn, err := indexer.LoadSynonyms(bcfg.content)
	if err != nil {
		return nil, err
	}
	ident, siteRoot, err := loadSite(bcfg.content, bcfg.layout.Site, rp.log)
	if err != nil {
		return nil, err
	}
	files, closeFiles, err := mediaLibrary(bcfg.content, siteRoot)
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(rp.store, rp.log, index.WithSynonyms(syn))
	if err != nil {
		closeFiles()
		return nil, err
	}
	closeAll := func() {
		if err := ix.Close(); err != nil {
			rp.log.Error("close index", "err", err)
		}
		closeFiles()
	}
	if got := ix.Manifest().ID; got != id {
		closeAll()
		return nil, fmt.Errorf("CURRENT changed from %s to %s while the build opened", id, got)
	}
	srv, err := web.New(web.Deps{Index: ix, Content: os.DirFS(bcfg.content), Renderer: rp.r, Logger: rp.log, Limits: rp.cfg.limits,
		BaseURL: rp.cfg.baseURL, MetricsPublic: rp.cfg.metricsPublic, TrustedProxies: rp.cfg.trustedProxies, Site: ident, Media: files})
	if err != nil {
		closeAll()
		return nil, err
	}
	return &servedBuild{id: id, label: ix.Manifest().Label(), ix: ix, h: srv, close: closeAll}, nil
}

// buildConfig is the configuration build id is served with: its shipped
// content folder, once its versions are checked. A build that was not
// shipped (made here by -reindex) is served with -content's folder.
func (rp *replica) buildConfig(id string) (*config, error) {
	dir := rp.store.BuildPath(id)
	bm, err := rp.store.Manifest(id)
	if err != nil {
		return nil, err
	}
	c := *rp.cfg
	c.siteValues = nil
	pm, err := readShipped(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if bm.MappingVersion != index.ServedMappingVersion() {
			return nil, checkVersions(id, "unknown (not shipped with archive pack)", bm.MappingVersion)
		}
	case err != nil:
		return nil, err
	default:
		if err := checkVersions(id, pm.Program, bm.MappingVersion); err != nil {
			return nil, err
		}
		c.content = filepath.Join(dir, "content")
		c.posts = filepath.Join(c.content, filepath.FromSlash(pm.PostsDir))
	}
	if err := c.resolve(); err != nil {
		return nil, err
	}
	return &c, nil
}

// readShipped reads the pack manifest archive unpack left in a build.
func readShipped(dir string) (pack.Manifest, error) {
	var m pack.Manifest
	b, err := os.ReadFile(filepath.Join(dir, pack.ManifestName))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, pack.ManifestName), err)
	}
	return m, nil
}

// retire closes a build once no request is in it, waiting at most as long
// as a request may take.
func (rp *replica) retire(b *servedBuild) {
	b.closing.Store(true)
	deadline := time.Now().Add(rp.cfg.limits.WriteTimeout())
	for b.refs.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	b.close()
}

func (rp *replica) shutdown() {
	rp.retired.Wait()
	if b := rp.cur.Swap(nil); b != nil {
		rp.retire(b)
	}
}

// ServeHTTP answers from the serving build. /readyz says 503 with the
// reason while CURRENT names a build this server cannot switch to.
func (rp *replica) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/readyz" {
		if p := rp.readyProblem(); p != "" {
			body := map[string]string{"status": "unavailable", "reason": p}
			if b := rp.cur.Load(); b != nil {
				body["index_build"] = b.label // still served, to whoever asks directly
			}
			writeJSON(w, http.StatusServiceUnavailable, body)
			return
		}
	}
	for {
		b := rp.cur.Load()
		if b == nil {
			rp.notServing(w, r)
			return
		}
		b.refs.Add(1)
		if b.closing.Load() {
			// Switched meanwhile: the next Load sees the new build.
			b.refs.Add(-1)
			continue
		}
		ww := &wholeWriter{w: w, r: r}
		b.h.ServeHTTP(ww, r)
		ww.finish()
		b.refs.Add(-1)
		return
	}
}

// readyProblem is why the replica is not ready: CURRENT as it is now
// (read here, so /readyz never waits for the next poll to say so, and in
// words for a replica rather than the writer's), else what the last poll
// found.
func (rp *replica) readyProblem() string {
	if _, err := rp.named(); err != nil {
		return err.Error()
	}
	return rp.reason()
}

// notServing answers while no build is open: the process is up, nothing
// else is.
func (rp *replica) notServing(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		return
	}
	w.Header().Set("Retry-After", "1")
	writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": map[string]string{"code": "unavailable", "message": "no index build is open: " + rp.reason()}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
