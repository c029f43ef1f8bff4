package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/internal/qlang"
	"github.com/blust/archive/internal/render"
	"github.com/blust/archive/internal/site"
)

//go:embed templates
var templateFS embed.FS

// templates holds one parsed set per page, each made of the layout plus
// the page, parsed once at start-up.
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(a *assets, r *render.Renderer) (*templates, error) {
	funcs := template.FuncMap{
		// postTitle shows a post's title with its Markdown (`u128` in code),
		// escaped and sanitised by the renderer; <title> and feeds keep it
		// plain.
		"postTitle": func(s string) template.HTML { h, _ := r.Title(s); return h },
		"linkOut":   linkOut,
		"asset":     a.url,
		"date":      func(t time.Time) string { return t.Format("2 January 2006") },
		"isodate":   func(t time.Time) string { return t.Format("2006-01-02") },
		"join":      strings.Join,
		"trustHTML": func(s string) template.HTML { return template.HTML(s) }, // only for our own escaped snippets
		"tagURL":    tagURL,
		"yearURL":   yearURL,
		"postURL":   postURL,
		"month":     func(t time.Time) string { return t.Format("January 2006") },
		"rfc3339":   func(t time.Time) string { return t.Format(time.RFC3339) },
		"linkify":   linkify,
		"posts":     templatePosts,
		"newLabel":  newLabel,
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		pt, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		t.pages[base] = pt
	}
	return t, nil
}

// pageData is what every page template gets besides its own data.
type pageData struct {
	Site  string     // the site's title
	Ident *site.Site // the rest of its identity: language, nav, footer, licence
	Title string
	Kind  string // the page template's name, a class on <body>
	Query string
	Mode  string // advanced or plain: kept by the search form, so refining a query keeps how it is read
	Head  head
	Page  any
}

// page renders a whole page into a buffer first, so a template error is a
// clean 500 and never half a page under a 200.
func (s *Server) page(c *gin.Context, status int, name string, data any) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	pd := pageData{Site: s.deps.Site.Title, Ident: &s.deps.Site, Title: titleOf(data), Kind: name, Query: c.Query("q"), Head: headOf(data), Page: data}
	pd.Head.Canonical = s.absURL(c, pd.Head.Canonical)
	if m, err := qlang.ParseMode(strings.TrimSpace(c.Query("mode"))); err == nil && m != qlang.ModeAuto {
		pd.Mode = string(m)
	}
	// The error page is built whatever time is left: its request has
	// already failed, and the reader should learn why.
	var ctx context.Context
	if name != "error" {
		ctx = c.Request.Context()
	}
	buf := newPageBuffer(ctx, s.limits.MaxPageBytes)
	err := t.Execute(buf, pd)
	switch {
	case err == nil:
		c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	case name != "error":
		s.fail(c, fmt.Errorf("render page %s: %w", name, err))
	default:
		s.log.Error("render template", "name", name, "err", err)
		c.Data(plainError(data))
	}
}

// plainError is an error page as plain text, for when even the error
// page could not be built: the status and message still reach the reader.
func plainError(data any) (int, string, []byte) {
	e, ok := data.(errorPage)
	if !ok {
		e = errorPage{Status: http.StatusInternalServerError, Message: "internal error: the page could not be rendered"}
	}
	return e.Status, "text/plain; charset=utf-8", []byte(e.Message + "\n")
}

// titled is implemented by page data that sets the <title>.
type titled interface{ PageTitle() string }

func titleOf(data any) string {
	if t, ok := data.(titled); ok {
		return t.PageTitle()
	}
	return ""
}
