package post

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// frontMatter holds the fields the archive understands, under every name
// the common generators give them. Unknown keys (header_image,
// translationKey, groups, areas, ...) are ignored.
type frontMatter struct {
	Title, Slug                                    text
	Lastmod, Updated, LastModifiedAt, Modified     text // the first one set is the last update
	Date, PubDate, PublishDate, Published, Created text // the first one set is the publication date; published may be a flag
	Summary, Description, Excerpt, OGSummary       text
	Permalink, URL, Path                           text // the post's old address
	CanonicalURL, CanonicalSnake, Canon            text // canonicalUrl, canonical_url, canonical
	ExternalURL, ExternalSnake, Link               text // link posts: externalUrl, external_url, link
	Author, Authors, By                            list // by: is the Go blog's
	Tags, Category, Keywords                       list
	Categories                                     spacedList // Jekyll: "crossings night" is two categories
	Taxonomies                                     taxonomies // Zola's [taxonomies] table
	Aliases, RedirectFrom                          list
	Draft                                          flag
	Layout, Type, Template, Redirect               text // tell a page from a post when it has no date

	lines map[string]int // lowercased key -> line of the key in the file
	// warnings are values of optional keys that were ignored because no
	// editor could have meant them (a mapping where a link belongs).
	warnings []*Problem
}

// targets maps each lowercased key to the field it fills.
func (fm *frontMatter) targets() map[string]any {
	return map[string]any{
		"title":            &fm.Title,
		"slug":             &fm.Slug,
		"date":             &fm.Date,
		"pubdate":          &fm.PubDate,
		"publishdate":      &fm.PublishDate,
		"published":        &fm.Published,
		"created":          &fm.Created,
		"lastmod":          &fm.Lastmod,
		"updated":          &fm.Updated,
		"last_modified_at": &fm.LastModifiedAt,
		"modified":         &fm.Modified,
		"summary":          &fm.Summary,
		"description":      &fm.Description,
		"excerpt":          &fm.Excerpt,
		"ogsummary":        &fm.OGSummary,
		"permalink":        &fm.Permalink,
		"url":              &fm.URL,
		"path":             &fm.Path,
		"aliases":          &fm.Aliases,
		"redirect_from":    &fm.RedirectFrom,
		"canonicalurl":     &fm.CanonicalURL,
		"canonical_url":    &fm.CanonicalSnake,
		"canonical":        &fm.Canon,
		"externalurl":      &fm.ExternalURL,
		"external_url":     &fm.ExternalSnake,
		"link":             &fm.Link,
		"author":           &fm.Author,
		"authors":          &fm.Authors,
		"by":               &fm.By,
		"tags":             &fm.Tags,
		"categories":       &fm.Categories,
		"category":         &fm.Category,
		"keywords":         &fm.Keywords,
		"taxonomies":       &fm.Taxonomies,
		"draft":            &fm.Draft,
		"layout":           &fm.Layout,
		"type":             &fm.Type,
		"template":         &fm.Template,
		"redirect":         &fm.Redirect,
		"redirect_to":      &fm.Redirect,
	}
}

// hintKey reports the keys read only to tell a page from a post.
func hintKey(name string) bool {
	switch name {
	case "layout", "type", "template", "redirect", "redirect_to":
		return true
	}
	return false
}

// strictKeys are the keys whose malformed value rejects the post: they
// decide whether and when it is published and what it is called. Any
// other key the archive reads is optional, and a value of a shape no
// generator writes there is skipped with a warning rather than losing the
// post.
func strictKey(name string) bool {
	switch name {
	case "title", "slug", "date", "pubdate", "publishdate", "created", "draft", "tags":
		return true
	}
	return false
}

// decodeFrontMatter fills a frontMatter from a mapping node, remembering
// where each key is so later checks can point at it. Keys match case-
// insensitively, as in Hugo.
func decodeFrontMatter(file string, root *yaml.Node) (*frontMatter, *Problem) {
	fm := &frontMatter{lines: map[string]int{}}
	targets := fm.targets()
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		name := strings.ToLower(key.Value)
		dst, ok := targets[name]
		if !ok {
			continue
		}
		if first, dup := fm.lines[name]; dup {
			return nil, &Problem{File: file, Line: key.Line, Field: key.Value,
				Msg: fmt.Sprintf("%s is set twice (first on line %d)", key.Value, first),
				Fix: "keep one " + key.Value + " line"}
		}
		fm.lines[name] = key.Line
		if err := value.Decode(dst); err != nil {
			if strictKey(name) {
				return nil, valueProblem(file, key, err)
			}
			if hintKey(name) {
				continue // read only as a hint; other shapes mean nothing to the archive
			}
			p := valueProblem(file, key, err)
			p.Msg += "; it is ignored"
			fm.warnings = append(fm.warnings, p)
		}
	}
	return fm, nil
}

// line is where key was written, or line 1 (the opening delimiter) for a
// missing key, so "add it here" messages still point into the file.
func (fm *frontMatter) line(key string) int {
	if l, ok := fm.lines[key]; ok && l > 0 {
		return l
	}
	return 1
}

func valueProblem(file string, key *yaml.Node, err error) *Problem {
	p := &Problem{File: file, Line: key.Line, Field: key.Value,
		Msg: fmt.Sprintf("%s: %v", key.Value, err),
		Fix: "write " + key.Value + " as plain text or a list of text"}
	var ve valueError
	if errors.As(err, &ve) {
		p.Msg = key.Value + " " + ve.msg
		p.Fix = ve.fix
	}
	return p
}

// valueError is what the lenient field types below return for a value no
// editor could have meant.
type valueError struct{ msg, fix string }

func (e valueError) Error() string { return e.msg }

// text accepts a scalar of any type (numbers and dates keep their written
// form), null, or a list with at most one item.
type text string

func (t *text) UnmarshalYAML(n *yaml.Node) error {
	n = deref(n)
	if n.Kind == yaml.SequenceNode && len(n.Content) <= 1 {
		if len(n.Content) == 0 {
			*t = ""
			return nil
		}
		n = deref(n.Content[0])
	}
	s, ok := scalar(n)
	if !ok {
		return valueError{"must be a single value, not " + kindName(n),
			"write a single text value, quoted if it contains \": \""}
	}
	*t = text(s)
	return nil
}

// list accepts a sequence of scalars (nulls inside are skipped), null, or
// one string of comma-separated items such as "Networks, Research". A
// mapping with a name, alone or as an item ({name: Ada, url: ...}, as
// authors are often written), stands for its name.
type list []string

func (l *list) UnmarshalYAML(n *yaml.Node) error {
	n = deref(n)
	if s, ok := scalar(n); ok {
		*l = splitTrimmed(s, ",")
		return nil
	}
	if name, ok := mappingName(n); ok {
		*l = unique([]string{name})
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return valueError{"must be a list or comma-separated text, not " + kindName(n),
			"write it as [a, b] or as one item per line starting with -"}
	}
	var items []string
	for _, item := range n.Content {
		item = deref(item)
		s, ok := scalar(item)
		if !ok {
			s, ok = mappingName(item)
		}
		if !ok {
			return valueError{fmt.Sprintf("has an item on line %d that is %s, not text", item.Line, kindName(item)),
				"make every item plain text"}
		}
		if s != "" {
			items = append(items, s)
		}
	}
	*l = items
	return nil
}

// spacedList is a list whose one-string form is separated by spaces, as
// Jekyll reads `categories: news releases`; with a comma in it, commas
// separate as in any list.
type spacedList []string

func (l *spacedList) UnmarshalYAML(n *yaml.Node) error {
	if s, ok := scalar(deref(n)); ok && !strings.Contains(s, ",") {
		*l = strings.Fields(s)
		return nil
	}
	var plain list
	err := plain.UnmarshalYAML(n)
	*l = spacedList(plain)
	return err
}

// mappingName returns the `name` of a mapping such as {name: Ada, url: x}.
func mappingName(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.MappingNode {
		return "", false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if strings.EqualFold(n.Content[i].Value, "name") {
			return scalar(deref(n.Content[i+1]))
		}
	}
	return "", false
}

// taxonomies is Zola's [taxonomies] table: each taxonomy's name and its
// terms, in the order written.
type taxonomies struct {
	names []string
	terms map[string]list
}

func (t *taxonomies) UnmarshalYAML(n *yaml.Node) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return valueError{"must be a table of lists, not " + kindName(n),
			"write it as [taxonomies] then tags = [\"a\", \"b\"]"}
	}
	t.terms = map[string]list{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		var l list
		if err := n.Content[i+1].Decode(&l); err != nil {
			return err
		}
		name := strings.ToLower(n.Content[i].Value)
		t.names = append(t.names, name)
		t.terms[name] = append(t.terms[name], l...)
	}
	return nil
}

// split returns the authors taxonomy and every other taxonomy's terms,
// tags first: TOML tables reach here as maps, so the written order of the
// taxonomies is lost, and tags are what readers look for.
func (t taxonomies) split() (authors, tags list) {
	names := slices.Clone(t.names)
	rank := func(name string) int {
		if name == "tags" {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(rank(a), rank(b)) })
	for _, name := range names {
		if name == "authors" || name == "author" {
			authors = append(authors, t.terms[name]...)
		} else {
			tags = append(tags, t.terms[name]...)
		}
	}
	return authors, tags
}

// flag accepts YAML 1.1 and 1.2 booleans, quoted or not, and null (false).
type flag bool

func (f *flag) UnmarshalYAML(n *yaml.Node) error {
	s, _ := scalar(deref(n))
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		*f = true
	case "false", "no", "off", "0", "":
		*f = false
	default:
		return valueError{fmt.Sprintf("must be true or false, not %q", s),
			"write true or false"}
	}
	return nil
}

// scalar returns a trimmed scalar's text, "" for null; ok is false for
// mappings and sequences.
func scalar(n *yaml.Node) (s string, ok bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	if n.ShortTag() == "!!null" {
		return "", true
	}
	return strings.TrimSpace(n.Value), true
}

// deref follows YAML aliases (*name) to the anchored node.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a value"
}

// splitTrimmed splits s at sep, trims the parts and drops empty ones.
func splitTrimmed(s, sep string) []string {
	var out []string
	for _, part := range strings.Split(s, sep) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
