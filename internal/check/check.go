// Package check lints a content folder before it is published, without
// touching any index: front matter that does not load, missing and
// duplicate slugs, dates in the future, empty bodies, links to posts that
// do not exist, images without alt text, images and other files that are
// not there, template constructs the archive cannot render, posts over the
// render budget, and synonyms-file entries that no post uses. Each finding
// names the file and line, like a compiler.
package check

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// Severity says whether a finding fails the check.
type Severity string

// The severities: errors fail the check, warnings are advice.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Finding is one thing wrong with the content.
type Finding struct {
	File     string   `json:"file"` // path inside the content folder
	Line     int      `json:"line,omitempty"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"` // what kind of problem: front-matter, duplicate-slug, missing-slug, date-fallback, ignored-field, future-date, empty-body, broken-link, link-to-draft, image-alt, missing-file, render-budget, synonyms, unrendered
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
}

// String formats the finding like a compiler message, with dir (the
// content folder as the user named it) in front of the file.
func (f Finding) String(dir string) string {
	var b strings.Builder
	b.WriteString(joinPath(dir, f.File))
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	b.WriteString(": ")
	if f.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(f.Message)
	if f.Fix != "" {
		fmt.Fprintf(&b, " (%s)", f.Fix)
	}
	return b.String()
}

func joinPath(dir, file string) string {
	if dir == "" || dir == "." {
		return file
	}
	return strings.TrimSuffix(dir, "/") + "/" + file
}

// Report is the outcome of a check.
type Report struct {
	Posts    int       `json:"posts"`  // posts that load, drafts included
	Drafts   int       `json:"drafts"` // of which drafts
	Findings []Finding `json:"findings"`
}

// Errors counts the findings that fail the check.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// SynonymGroup is one group of the synonyms file, as its loader read it.
type SynonymGroup struct {
	Terms []string
	Line  int
}

// Options says what to check against.
type Options struct {
	// Now is the check's clock: a post dated after the end of Now's day is
	// in the future.
	Now time.Time
	// SynonymsFile and Synonyms are the content folder's synonyms file and
	// its groups; each entry must occur in some post. Empty: not checked.
	SynonymsFile string
	Synonyms     []SynonymGroup
	// Renderer renders each post, within RenderBudget (zero fields: the
	// defaults), as the index does, to name the posts over it. Nil means
	// render.New().
	Renderer     *render.Renderer
	RenderBudget render.Budget
	// Site holds the site's configuration values, for {{ site.x }} in
	// posts. Nil: every such value is unknown and reported.
	Site map[string]string
	// Media are the files beside the posts and in the site's static
	// folders; references to media files that are not there are
	// reported. Nil: not checked.
	Media *media.Library
}

// Run checks the content folder. Drafts are checked like other posts,
// since they are about to be published. The error is only for failing to
// walk the folder at all.
func Run(fsys fs.FS, opts Options) (*Report, error) {
	res, err := post.Load(fsys, post.LoadOptions{IncludeDrafts: true})
	if err != nil {
		return nil, err
	}
	if opts.Renderer == nil {
		opts.Renderer = render.New()
	}
	c := &checker{fsys: fsys, opts: opts, rep: &Report{Posts: len(res.Posts)}, posts: res.Posts,
		unrendered: map[*post.Post][]render.Construct{}}
	for _, p := range res.Problems {
		c.problem(p)
	}
	for _, w := range res.Warnings {
		c.warning(w)
	}
	c.index()
	for _, p := range res.Posts {
		if p.Draft {
			c.rep.Drafts++
		}
		c.post(p)
	}
	c.templates()
	c.synonyms()
	slices.SortStableFunc(c.rep.Findings, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return c.rep, nil
}

type checker struct {
	fsys    fs.FS
	opts    Options
	rep     *Report
	posts   []*post.Post
	bySlug  map[string]*post.Post
	byFile  map[string]*post.Post
	aliases map[string]bool
	// unrendered are the template constructs each post's render dropped.
	unrendered map[*post.Post][]render.Construct
}

func (c *checker) add(f Finding) { c.rep.Findings = append(c.rep.Findings, f) }

// problem turns a post that does not load into a finding.
func (c *checker) problem(p *post.Problem) {
	code := "front-matter"
	switch {
	case p.Field == "slug" && strings.Contains(p.Msg, "also used by"):
		code = "duplicate-slug"
	case strings.Contains(p.Msg, "empty slug") || strings.Contains(p.Msg, "has no letters or digits"):
		code = "missing-slug"
	}
	line := p.Line
	if code == "duplicate-slug" && line == 0 {
		line = keyLine(c.fsys, p.File, "slug") // 0 when the file name gives the slug
	}
	c.add(Finding{File: p.File, Line: line, Severity: Error, Code: code, Message: p.Msg, Fix: p.Fix})
}

// warning turns what loading guessed into advice: a slug renamed because
// another post has it (both posts are published, one at an address its
// author did not choose), a malformed date replaced by the file name's,
// an optional field ignored.
func (c *checker) warning(p *post.Problem) {
	code, line := "ignored-field", p.Line
	switch {
	case p.Field == "slug":
		code = "duplicate-slug"
		if line == 0 {
			line = keyLine(c.fsys, p.File, "slug") // 0 when the file name gives the slug
		}
	case strings.Contains(p.Msg, "using the date in the"):
		code = "date-fallback"
	}
	c.add(Finding{File: p.File, Line: line, Severity: Warning, Code: code, Message: p.Msg, Fix: p.Fix})
}

func (c *checker) index() {
	c.bySlug = map[string]*post.Post{}
	c.byFile = map[string]*post.Post{}
	c.aliases = map[string]bool{}
	for _, p := range c.posts {
		c.bySlug[p.Slug] = p
		c.byFile[p.File] = p
		for _, a := range p.Aliases {
			c.aliases[strings.Trim(a, "/")] = true
		}
	}
}

func (c *checker) post(p *post.Post) {
	if inFuture(p.Date, c.opts.Now) {
		c.add(Finding{File: p.File, Line: keyLine(c.fsys, p.File, "date"), Severity: Error, Code: "future-date",
			Message: fmt.Sprintf("date %s is in the future", p.Date.Format("2006-01-02")),
			Fix:     "correct the date, or mark the post draft: true until it is due"})
	}
	if strings.TrimSpace(stripComments(string(p.Body))) == "" {
		c.add(Finding{File: p.File, Line: p.BodyLine, Severity: Error, Code: "empty-body",
			Message: "the post has no text", Fix: "write the post below the front matter, or delete the file"})
	}
	for _, r := range refs(string(p.Body)) {
		c.ref(p, r)
	}
	c.files(p)
	c.renderBudget(p)
}

// renderBudget names a post the index would keep only as plain text
// because its Markdown is over the render budget.
// It renders each post once, within the budget, for templates too.
func (c *checker) renderBudget(p *post.Post) {
	d, err := c.opts.Renderer.TextWithin(context.Background(), p.Body, c.renderOptions(p), c.opts.RenderBudget)
	if err != nil {
		return
	}
	if len(d.Unrendered) > 0 {
		c.unrendered[p] = d.Unrendered
	}
	if d.Plain == "" {
		return
	}
	c.add(Finding{File: p.File, Line: p.BodyLine, Severity: Warning, Code: "render-budget",
		Message: "the post is indexed and shown as plain text: " + d.Plain,
		Fix:     "split the post, or simplify its deepest nesting and longest lines"})
}

// inFuture reports a post dated after today. Dates without a time are
// midnight UTC, so the post's calendar day (in UTC) is compared with
// today's where the editor is: a post dated today is never in the future.
func inFuture(date, now time.Time) bool {
	if now.IsZero() || !date.After(now) {
		return false
	}
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return date.UTC().After(today.Add(24*time.Hour - time.Nanosecond))
}
