package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/blust/archive/cmd/archive/internal/indexer"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
	"github.com/blust/archive/web"
)

// exitError carries a process exit status through run's error return.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// config is the program's settings after flags and environment are read.
type config struct {
	// content is the folder of posts. -content may name a whole site's
	// root; resolve then replaces it with the posts folder the layout
	// names, and layout keeps what was given and why.
	content    string
	posts      string      // -posts: the posts folder inside -content, overriding the guess
	layout     post.Layout // where the posts are, once resolved; layout.Root is -content as given
	contentAbs string      // content as an absolute path, once resolved
	indexDir   string
	addr       string
	reindex    bool
	full       bool
	watch      bool
	readOnly   bool // serve builds installed by archive unpack (readonly.go)
	logFormat  string
	limits     web.Limits
	baseURL    string
	// metricsPublic serves /metrics to the network, not only to this machine.
	metricsPublic bool
	// trustedProxies are the proxies whose X-Forwarded-For names the
	// client in the log lines (-trusted-proxies); none by default.
	trustedProxies []netip.Prefix
	// siteValues are the site's config values posts' templates print
	// ({{ site.x }}), once serve has read the identity; nil: buildOptions
	// reads them itself.
	siteValues map[string]string
	args       []string // a command and its arguments, after the flags
}

const usageText = `Usage: archive [flags]
       archive [flags] COMMAND [command flags] [arguments]

Serves the archive of the Markdown posts in the content folder, which may be
a folder of posts or a whole site's root (Hugo, Zola, Jekyll, Hexo,
Docusaurus, Gatsby, Next, Astro, Eleventy, Pelican, VuePress): the archive
finds the posts folder and says which it took and why. At start-up
it brings the search index up to date, re-indexing only the posts that
changed (it builds the index first if there is none). With -watch it also
applies each saved edit within a second.

With -reindex it syncs the index and exits. A server running on the same
index does the work itself and keeps answering; otherwise the command does.
-reindex -full rebuilds every post into a new build beside the old one and
switches to it; a change of the index mapping does that by itself.

Commands:
  check    lint the content folder without touching the index (see archive check -h)
  new      write a new post skeleton: archive new "Title" (see archive new -h)
  import   turn old pages, feeds and WordPress exports into posts (see archive import -h)
  eval     measure the ranking on a test collection: nDCG@10, Recall@100, MAP (see archive eval -h)
  pack     write the serving build and its content into one file: archive pack -o build.tar.zst
  unpack   install a packed build into -index and make it current (for -read-only servers)
  healthcheck  ask a running archive whether it is up, for a container's HEALTHCHECK (see archive healthcheck -h)

With -read-only -index DIR it serves the builds archive unpack installs in DIR,
without a content folder, and switches to a new one when CURRENT names it.

Exit status with -reindex: 0 every post indexed, 1 some posts rejected (the
others are indexed), 2 a usage or I/O error (the previous index, if there
is one, keeps serving; the message names it).

Flags (each also settable by the environment variable shown):
`

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.content, "content", envOr("ARCHIVE_CONTENT", "content"), "the folder of Markdown posts, or a site's root folder ($ARCHIVE_CONTENT)")
	fs.StringVar(&c.posts, "posts", os.Getenv("ARCHIVE_POSTS"), "the posts folder inside -content, e.g. content/articles, when the guess is wrong ($ARCHIVE_POSTS)")
	fs.StringVar(&c.indexDir, "index", os.Getenv("ARCHIVE_INDEX"), "the index folder ($ARCHIVE_INDEX; default: a folder for this content under the user cache directory)")
	fs.StringVar(&c.addr, "addr", envOr("ARCHIVE_ADDR", "localhost:8080"), "the HOST:PORT to serve on ($ARCHIVE_ADDR)")
	fs.BoolVar(&c.reindex, "reindex", false, "sync the index with the content folder (only what changed), then exit")
	fs.BoolVar(&c.full, "full", false, "with -reindex: rebuild every post into a new build and switch to it")
	fs.BoolVar(&c.watch, "watch", false, "apply each change in the content folder as it is saved (with -reindex: keep doing so instead of exiting)")
	fs.BoolVar(&c.readOnly, "read-only", os.Getenv("ARCHIVE_READ_ONLY") == "1", "serve the builds archive unpack installs in -index, switching when CURRENT changes; no content folder, no writer lock, no sync ($ARCHIVE_READ_ONLY=1)")
	fs.StringVar(&c.logFormat, "log-format", envOr("ARCHIVE_LOG_FORMAT", "text"), "log lines as text or json ($ARCHIVE_LOG_FORMAT)")
	fs.IntVar(&c.limits.MaxInflight, "max-inflight", web.DefaultMaxInflight,
		"searches admitted at once (two per core run, the rest wait up to -queue-wait for their turn); beyond it a search gets 503 with Retry-After ($ARCHIVE_MAX_INFLIGHT)")
	fs.DurationVar(&c.limits.QueueWait, "queue-wait", web.DefaultQueueWait,
		"longest an admitted search waits for its turn before it is answered 503 ($ARCHIVE_QUEUE_WAIT)")
	fs.DurationVar(&c.limits.SearchTimeout, "search-timeout", web.DefaultSearchTimeout,
		"longest a search may run, once its turn comes, before it is answered 503 ($ARCHIVE_SEARCH_TIMEOUT)")
	fs.IntVar(&c.limits.SearchWorkers, "search-workers", 2*runtime.GOMAXPROCS(0),
		"searches that run at once, the rest of those admitted wait their turn ($ARCHIVE_SEARCH_WORKERS; default two per core)")
	fs.DurationVar(&c.limits.RequestTimeout, "request-timeout", web.DefaultRequestTimeout,
		"time budget of a request that is not a search (articles, tags, feeds), rendering included; past it the answer is 503 ($ARCHIVE_REQUEST_TIMEOUT)")
	fs.BoolVar(&c.metricsPublic, "metrics-public", os.Getenv("ARCHIVE_METRICS_PUBLIC") == "1",
		"serve /metrics to the network too, not only to this machine ($ARCHIVE_METRICS_PUBLIC=1)")
	fs.Func("trusted-proxies", "comma-separated `CIDRs` of the reverse proxies in front, e.g. 127.0.0.1/32,10.0.0.0/8: from them X-Forwarded-For names the client in the log lines; from anyone else it is ignored ($ARCHIVE_TRUSTED_PROXIES; default: none)",
		func(v string) error {
			p, err := web.ParseTrustedProxies(v)
			c.trustedProxies = p
			return err
		})
	if err := envDefaults(fs, "max-inflight", "ARCHIVE_MAX_INFLIGHT", "search-timeout", "ARCHIVE_SEARCH_TIMEOUT", "search-workers", "ARCHIVE_SEARCH_WORKERS", "queue-wait", "ARCHIVE_QUEUE_WAIT",
		"request-timeout", "ARCHIVE_REQUEST_TIMEOUT", "trusted-proxies", "ARCHIVE_TRUSTED_PROXIES"); err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	fs.StringVar(&c.baseURL, "base-url", os.Getenv("ARCHIVE_BASE_URL"), "the public address, e.g. https://archive.example.org, for feeds, sitemap and canonical links ($ARCHIVE_BASE_URL; default: the address each request came to)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, &exitError{code: 0}
		}
		return nil, &exitError{code: 2}
	}
	c.args = fs.Args()
	if c.readOnly && (c.reindex || c.watch || len(c.args) > 0) {
		return nil, &exitError{code: 2, msg: "-read-only serves shipped builds; it does not go with -reindex, -watch or a command"}
	}
	if c.full && !c.reindex {
		return nil, &exitError{code: 2, msg: "-full goes with -reindex (see -h)"}
	}
	if c.limits.MaxInflight < 1 || c.limits.SearchWorkers < 1 || c.limits.SearchTimeout <= 0 || c.limits.QueueWait <= 0 {
		return nil, &exitError{code: 2, msg: "-max-inflight, -search-workers, -search-timeout and -queue-wait must be positive"}
	}
	if c.limits.RequestTimeout <= 0 {
		return nil, &exitError{code: 2, msg: "-request-timeout must be positive"}
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("-log-format must be text or json, not %q", c.logFormat)}
	}
	return c, nil
}

// envDefaults sets flags from environment variables (pairs of flag name
// and variable) before the command line is parsed, so flags still win and
// a malformed variable is reported like a malformed flag.
func envDefaults(fs *flag.FlagSet, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v := os.Getenv(pairs[i+1]); v != "" {
			if err := fs.Set(pairs[i], v); err != nil {
				return fmt.Errorf("$%s: %w", pairs[i+1], err)
			}
		}
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// run is the whole program; main only adds signals and the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.logFormat, stderr)
	if len(cfg.args) > 0 {
		return runCommand(ctx, cfg, stdout, stderr)
	}
	if cfg.readOnly {
		return serveReadOnly(ctx, cfg, log)
	}
	if err := cfg.resolve(); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	logLayout(log, cfg.layout)
	if cfg.reindex {
		return reindex(ctx, cfg, log, stdout, stderr)
	}
	return serve(ctx, cfg, log)
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// resolve finds the posts folder in the content folder (see
// post.FindLayout) and picks the default index folder: one per posts
// folder, so two archives never share an index.
func (c *config) resolve() error {
	layout, err := post.FindLayout(c.content, c.posts)
	if err != nil {
		return err
	}
	c.layout, c.content = layout, layout.PostsDir()
	abs, err := filepath.Abs(c.content)
	if err != nil {
		return fmt.Errorf("content folder %s: %w", c.content, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("content folder: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("content folder %s is not a folder", c.content)
	}
	c.contentAbs = abs
	if c.indexDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		sum := sha256.Sum256([]byte(abs))
		c.indexDir = filepath.Join(base, "blust-archive", "index-"+hex.EncodeToString(sum[:])[:12])
	}
	return nil
}

func buildOptions(cfg *config, r *render.Renderer, log *slog.Logger) index.BuildOptions {
	return index.BuildOptions{
		Content:    os.DirFS(cfg.content),
		ContentDir: cfg.content,
		Renderer:   r,
		Logger:     log,
		Load:       post.LoadOptions{Authors: cfg.layout.Authors()},
		Site:       siteValues(cfg, log),
	}
}

// siteValues are the site's config values, for {{ site.x }} in posts: the
// ones serve read with the identity, else read here. A site file that
// cannot be read leaves them out (serve and check report the file).
func siteValues(cfg *config, log *slog.Logger) map[string]string {
	if cfg.siteValues != nil {
		return cfg.siteValues
	}
	s, _, err := readSite(cfg.content, cfg.layout.Site)
	if err != nil {
		log.Warn("site config not read; {{ site.x }} in posts is left out", "err", err)
		return nil
	}
	return s.Values
}

// postsFolder is where new and imported posts go: the posts folder of the
// content folder's layout (a site's root gets its _posts or content/blog),
// or the content folder itself when it cannot be read yet.
func postsFolder(content, posts string) string {
	l, err := post.FindLayout(content, posts)
	if err != nil {
		return content
	}
	return l.PostsDir()
}

// logLayout says at start which folder the posts are read from and why,
// and which folders holding Markdown are not read. A plain folder of
// posts, read as it is, needs no word.
func logLayout(log *slog.Logger, l post.Layout) {
	if l.Trivial() {
		return
	}
	attrs := []any{"folder", l.PostsDir(), "why", l.Reason, "post_files", l.PostFiles}
	if l.Site != "" {
		attrs = append(attrs, "site", l.Site, "generator", l.Generator)
	}
	if len(l.Skipped) > 0 {
		attrs = append(attrs, "not_read", strings.Join(l.Skipped, ", "))
	}
	log.Info("reading posts", attrs...)
}

// serve holds the index as its writer (building it first if there is
// none), syncs it in the background, follows and applies changes, and
// serves HTTP until ctx ends.
func serve(ctx context.Context, cfg *config, log *slog.Logger) error {
	start := time.Now()
	// The address is taken before anything else: a port already in use
	// is then said at once, not after a first build of the whole index.
	// Connections that arrive while the index opens wait in the
	// listener's backlog.
	ln, err := listen(cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	r := render.New()
	syn, err := indexer.LoadSynonyms(cfg.content)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	ident, siteRoot, err := loadSite(cfg.content, cfg.layout.Site, log)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	cfg.siteValues = ident.Values
	files, closeFiles, err := mediaLibrary(cfg.content, siteRoot)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	defer closeFiles()
	h, err := indexer.Hold(ctx, indexerConfig(cfg, log, func() *render.Renderer { return r }))
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: 2, msg: "stopped before the index was open: " + err.Error()}
		}
		return &exitError{code: 2, msg: err.Error()}
	}
	defer h.Close()
	if err := h.SetSynonyms(syn); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	h.Start()
	srv, err := web.New(web.Deps{Index: h.Index(), Content: os.DirFS(cfg.content), Renderer: r, Logger: log, Limits: cfg.limits, BaseURL: cfg.baseURL, MetricsPublic: cfg.metricsPublic, TrustedProxies: cfg.trustedProxies, Site: ident, Media: files})
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	h.Follow()
	if cfg.watch {
		h.Watch()
	}
	n, _ := h.Index().DocCount()
	log.Info("serving the archive", "url", "http://"+ln.Addr().String()+"/", "posts", n,
		"index", cfg.indexDir, "startup_ms", time.Since(start).Milliseconds())
	return serveHTTP(ctx, ln, srv, cfg.limits.WriteTimeout(), log)
}

// listen binds the server's address; a failure is a usage error (exit 2)
// that says what to do.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("-addr %s is already in use (another archive or program serves there): stop it, or choose another address with -addr or $ARCHIVE_ADDR", addr)}
	}
	if err != nil {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("-addr %s: cannot listen: %v", addr, err)}
	}
	return ln, nil
}

// serveHTTP serves until ctx ends, then lets in-flight requests finish
// within a grace period. writeTimeout covers the longest request the
// limits allow plus time to read it (web.Limits.WriteTimeout), so a
// reader that stops reading cannot hold a connection forever.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, writeTimeout time.Duration, log *slog.Logger) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return &exitError{code: 2, msg: "serve: " + err.Error()}
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return &exitError{code: 2, msg: "shutdown: " + err.Error()}
	}
	return nil
}
