// Package web is the only package that imports Gin. It serves the reader's
// pages (home, search, article, tags, years, feeds), the researchers' JSON API under /api/v1
// and the health endpoints, from templates and assets embedded in the
// binary. Handlers are methods on Server, which holds their dependencies.
package web

import (
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/metrics"
	"github.com/blust/archive/internal/render"
	"github.com/blust/archive/internal/site"
)

// Deps is everything the web layer needs; New fails fast if something is
// missing or a template does not parse.
type Deps struct {
	Index    *index.Index
	Content  fs.FS // the content folder the index was built from
	Renderer *render.Renderer
	Logger   *slog.Logger
	// Site is the archive's identity (title, description, language, nav,
	// footer, licence), from the content folder's site.yaml or its
	// generator's config; a zero Site means site.Default(), which names
	// no one and no topic.
	Site site.Site
	// Media are the files beside the posts and in the site's static
	// folders that the archive serves; nil means the Content folder's own.
	Media  *media.Library
	Limits Limits // search timeout and concurrency; zero fields mean the defaults
	// Metrics receives the server's figures and is served at /metrics; nil
	// means a fresh registry owned by this server.
	Metrics *metrics.Metrics
	// BaseURL is the archive's public address (https://archive.example.org),
	// for feeds, the sitemap and canonical links; if empty, each request's
	// own Host is used.
	BaseURL string
	// MetricsPublic serves /metrics to any client; otherwise only to the
	// machine itself (a loopback address, not through a proxy).
	MetricsPublic bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed:
	// the log lines name the client it gives when the request comes from
	// one of them, and the direct peer otherwise. None: the peer always.
	TrustedProxies []netip.Prefix
}

// Server is the HTTP handler of the archive.
type Server struct {
	deps    Deps
	engine  *gin.Engine
	tmpl    *templates
	assets  *assets
	log     *slog.Logger
	limits  Limits
	gate    *gate
	metrics *metrics.Metrics
	// articles keeps rendered posts, so a view does not render again.
	articles *docCache
}

// ginMode is set once: gin keeps its mode in a package variable, and
// setting it from concurrent tests would race.
var ginMode sync.Once

// New builds the server: parses the templates, fingerprints the assets and
// registers every route.
func New(d Deps) (*Server, error) {
	ginMode.Do(func() { gin.SetMode(gin.ReleaseMode) })
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Renderer == nil {
		d.Renderer = render.New()
	}
	d.Site = withSiteDefaults(d.Site)
	if d.Media == nil {
		d.Media = media.New(d.Content, nil, "")
	}
	if d.BaseURL == "" {
		d.BaseURL = d.Site.BaseURL
	}
	base, err := checkBaseURL(d.BaseURL)
	if err != nil {
		return nil, err
	}
	d.BaseURL = base
	a, err := newAssets(d.Renderer.CSS())
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates(a, d.Renderer)
	if err != nil {
		return nil, err
	}
	if d.Metrics == nil {
		d.Metrics = metrics.New()
	}
	lim := d.Limits.withDefaults()
	s := &Server{deps: d, tmpl: t, assets: a, log: d.Logger, limits: lim, gate: newGate(lim), metrics: d.Metrics,
		articles: newDocCache(articleCacheBytes)}
	s.metrics.WatchIndex(s.indexState)
	s.engine = s.routes()
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.engine.ServeHTTP(w, r)
}

type route struct {
	method, path string
	handler      gin.HandlerFunc
	search       bool // passes through the search limits (timeout, in-flight cap)
}

// isStreamed says a route has no overall deadline: each batch of an
// export has the search's, so a slow reader never times out (see export).
func isStreamed(path string) bool {
	return path == "/api/v1/search.jsonl" || path == "/api/v1/search.csv"
}

// routes is the one table of every URL the archive answers.
func (s *Server) routes() *gin.Engine {
	e := gin.New()
	// gin's ClientIP would believe any X-Forwarded-For; clientAddr
	// (clientaddr.go) is the one reader of it, and trusts only the
	// configured proxies.
	e.ForwardedByClientIP = false
	// The request id comes first so every later line can carry it; the
	// recoverer sits inside the logger so a panic is logged as its 500.
	// Compression wraps only the handler's own writing.
	e.Use(s.requestID(), s.securityHeaders(), s.logRequests(), s.recoverer(), s.buildHeader(), s.cors(), s.compress(), s.limitParams())
	table := []route{
		{http.MethodGet, "/", s.home, false},
		{http.MethodGet, "/search", s.searchPage, true},
		{http.MethodGet, "/search.atom", s.searchFeed, true},
		{http.MethodGet, "/help/search", s.helpSearch, false},
		{http.MethodGet, "/subscribe", s.subscribe, false},
		{http.MethodGet, "/posts/:slug", s.article, false},
		{http.MethodGet, "/tags", s.tagIndex, false},
		{http.MethodGet, "/tags/*rest", s.tagRoute, false}, // a tag's page and feed; tags may hold "/"
		{http.MethodGet, "/archive", s.archiveIndex, false},
		{http.MethodGet, "/archive/:year", s.yearListing, false},
		{http.MethodGet, "/feed.atom", s.atomFeed, false},
		{http.MethodGet, "/feed.rss", s.rssFeed, false},
		{http.MethodGet, "/sitemap.xml", s.sitemap, false},
		{http.MethodGet, "/robots.txt", s.robots, false},
		{http.MethodGet, "/opensearch.xml", s.openSearch, false},
		{http.MethodGet, "/static/:name", s.static, false},
		{http.MethodGet, "/media/:root/*path", s.mediaFile, false}, // files beside the posts (internal/media)
		{http.MethodGet, "/healthz", s.healthz, false},
		{http.MethodGet, "/readyz", s.readyz, false},
		{http.MethodGet, "/metrics", s.serveMetrics(), false},
		{http.MethodGet, "/api/v1/search", s.apiSearch, true},
		// Exports take a search slot and a deadline per batch, not for the
		// whole stream: a slow reader must neither time out nor hold a slot.
		{http.MethodGet, "/api/v1/search.jsonl", s.apiSearchJSONL, false},
		{http.MethodGet, "/api/v1/search.csv", s.apiSearchCSV, false},
		{http.MethodGet, "/api/v1/posts", s.apiPosts, true},
		{http.MethodGet, "/api/v1/posts/:slug", s.apiPost, false},
		{http.MethodGet, "/api/v1/suggest", s.apiSuggest, true},
		{http.MethodGet, "/api/v1/posts/:slug/related", s.apiRelated, true},
		{http.MethodGet, "/api/v1/posts/:slug/cite", s.apiCite, false},
		{http.MethodGet, "/api/v1/trends", s.apiTrends, true},
		{http.MethodGet, "/api/v1/tags", s.apiTags, true},
		{http.MethodGet, "/api/v1/authors", s.apiAuthors, true},
		{http.MethodGet, "/api/v1/stats", s.apiStats, false},
		{http.MethodGet, "/api/v1/openapi.json", s.apiOpenAPI, false},
	}
	for _, r := range table {
		h := []gin.HandlerFunc{s.budget(), r.handler}
		switch {
		case r.search:
			h = []gin.HandlerFunc{s.limitSearch(), r.handler}
		case isStreamed(r.path):
			h = []gin.HandlerFunc{r.handler}
		}
		e.Handle(r.method, r.path, h...)
		if r.method == http.MethodGet {
			e.Handle(http.MethodHead, r.path, h...)
		}
		if strings.HasPrefix(r.path, "/api/") {
			e.Handle(http.MethodOptions, r.path, s.preflight)
		}
	}
	e.NoRoute(s.noRoute)
	e.HandleMethodNotAllowed = false
	// gin's own trailing-slash redirect runs before any middleware (no
	// security headers, request id or log line) and trusts
	// X-Forwarded-Prefix; notFound redirects instead (slash.go).
	e.RedirectTrailingSlash = false
	return e
}
