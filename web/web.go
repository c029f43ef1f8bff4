// Package web is the only package that imports Gin. It serves the reader's
// pages (home, search, article), the researchers' JSON API under /api/v1
// and the health endpoints, from templates and assets embedded in the
// binary. Handlers are methods on Server, which holds their dependencies.
package web

import (
	"io/fs"
	"log/slog"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/render"
)

// Deps is everything the web layer needs; New fails fast if something is
// missing or a template does not parse.
type Deps struct {
	Index    *index.Index
	Content  fs.FS // the content folder the index was built from
	Renderer *render.Renderer
	Logger   *slog.Logger
	SiteName string // shown in titles; "Blust Archive" if empty
}

// Server is the HTTP handler of the archive.
type Server struct {
	deps   Deps
	engine *gin.Engine
	tmpl   *templates
	assets *assets
	log    *slog.Logger
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
	if d.SiteName == "" {
		d.SiteName = "Blust Archive"
	}
	a, err := newAssets(d.Renderer.CSS())
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates(a)
	if err != nil {
		return nil, err
	}
	s := &Server{deps: d, tmpl: t, assets: a, log: d.Logger}
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
}

// routes is the one table of every URL the archive answers.
func (s *Server) routes() *gin.Engine {
	e := gin.New()
	e.Use(s.recoverer(), s.logRequests(), s.securityHeaders())
	table := []route{
		{http.MethodGet, "/", s.home},
		{http.MethodGet, "/search", s.searchPage},
		{http.MethodGet, "/posts/:slug", s.article},
		{http.MethodGet, "/static/:name", s.static},
		{http.MethodGet, "/healthz", s.healthz},
		{http.MethodGet, "/readyz", s.readyz},
		{http.MethodGet, "/api/v1/search", s.apiSearch},
		{http.MethodGet, "/api/v1/posts/:slug", s.apiPost},
	}
	for _, r := range table {
		e.Handle(r.method, r.path, r.handler)
		if r.method == http.MethodGet {
			e.Handle(http.MethodHead, r.path, r.handler)
		}
	}
	e.NoRoute(s.notFound)
	e.HandleMethodNotAllowed = false
	return e
}
