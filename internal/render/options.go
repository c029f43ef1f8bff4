package render

import (
	"cmp"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Options is what a post's templates may refer to. The zero value renders
// a post on its own: site and page values are unknown (their uses are
// dropped and reported), links to other posts are guessed from the path
// they name, and Go templates' {{code}} cannot read files.
type Options struct {
	// Site holds the site's configuration values, for {{ site.x }} and
	// Hugo's {{% param x %}} when the page has no such key. Keys are as
	// the config writes them ("baseurl", "repository").
	Site map[string]string
	// Page holds the post's own front-matter values, for {{ page.x }} and
	// {{% param x %}}.
	Page map[string]string
	// Dir is the post's folder, where Go blog templates' {{code "x.go"}}
	// and {{play}} read their files. Nil: every such file is named in a
	// note instead.
	Dir fs.FS
	// Link maps what a post links to another post by (a Hugo ref path, a
	// Jekyll post_url name or link path) to the archive's URL for it. Nil,
	// or "" from it: "/posts/<slug>" with the slug guessed from the name.
	Link func(ref string) string
	// Title is the post's title, which pages show above the body. A body
	// that opens with a level-1 heading saying the same (case, spaces and
	// inline Markdown aside) loses that heading, so the title is not shown
	// twice nor listed in the table of contents. "" keeps every heading.
	Title string
	// Format is "" for Markdown, or FormatArticle for Go's present-format
	// .article posts, which are converted to Markdown first.
	Format string
}

// Construct is a template construct the renderer could not render: it was
// dropped (its text kept where it had any), and the page may miss what it
// stood for. archive check lists them.
type Construct struct {
	Name  string // e.g. "{% include %}", "{{< blog/integration-badge >}}", "<Chart />"
	Line  int    // 1-based line of the Markdown body where it first occurs
	Count int    // occurrences in the body
}

// maxConstructs bounds the distinct names one post can report, so a hostile
// post cannot grow the report with the size of the post.
const maxConstructs = 64

// unrendered counts constructs by name, keeping the first line of each.
type unrendered struct {
	byName map[string]*Construct
}

func (u *unrendered) add(name string, line int) {
	if c, ok := u.byName[name]; ok {
		c.Count++
		return
	}
	if u.byName == nil {
		u.byName = map[string]*Construct{}
	}
	if len(u.byName) >= maxConstructs {
		return
	}
	u.byName[name] = &Construct{Name: name, Line: line, Count: 1}
}

// list returns the constructs in order of first appearance.
func (u *unrendered) list() []Construct {
	if len(u.byName) == 0 {
		return nil
	}
	out := make([]Construct, 0, len(u.byName))
	for _, c := range u.byName {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Construct) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Name, b.Name))
	})
	return out
}

// postLink is the archive URL for a post named by ref.
func (o *Options) postLink(ref string) string {
	ref = strings.TrimSpace(ref)
	frag := ""
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		ref, frag = ref[:i], ref[i:]
	}
	if o.Link != nil {
		if u := o.Link(ref); u != "" {
			return u + frag
		}
	}
	slug := guessSlug(ref)
	if slug == "" {
		return frag
	}
	return "/posts/" + slug + frag
}

// guessSlug turns a post's path or name into the slug the archive most
// likely gave it: the bundle folder for index files, the file name without
// its extension and date prefix otherwise, lowercased and hyphenated.
func guessSlug(ref string) string {
	ref = strings.Trim(ref, "/ ")
	base := path.Base(ref)
	if stem := strings.TrimSuffix(base, path.Ext(base)); stem == "index" || stem == "_index" {
		base = path.Base(path.Dir(ref))
	}
	for _, ext := range []string{".md", ".markdown", ".mdx", ".html"} {
		base = strings.TrimSuffix(base, ext)
	}
	base = stripDatePrefix(base)
	var b strings.Builder
	hyphen := false
	for i := 0; i < len(base); i++ {
		c := base[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteByte(c)
		default:
			hyphen = true
		}
	}
	return b.String()
}

// stripDatePrefix drops a leading "2006-01-02-" (Jekyll and Docusaurus
// file names), digits not zero-padded included.
func stripDatePrefix(s string) string {
	parts := strings.SplitN(s, "-", 4)
	if len(parts) < 4 {
		return s
	}
	for i, p := range parts[:3] {
		if p == "" || len(p) > 4 || (i == 0 && len(p) != 4) || strings.Trim(p, "0123456789") != "" {
			return s
		}
	}
	return parts[3]
}
