package post

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// frontMatter holds the fields the archive understands. Unknown keys
// (header_image, translationKey, groups, areas, ...) are ignored.
type frontMatter struct {
	Title, Slug, Date, Lastmod, Updated text
	Summary, Description, Permalink     text
	CanonicalURL, CanonicalSnake, Canon text // canonicalUrl, canonical_url, canonical
	Author, Authors, Tags, Categories   list
	Aliases                             list
	Draft                               flag

	lines map[string]int // lowercased key -> line of the key in the file
}

// targets maps each lowercased key to the field it fills.
func (fm *frontMatter) targets() map[string]any {
	return map[string]any{
		"title":         &fm.Title,
		"slug":          &fm.Slug,
		"date":          &fm.Date,
		"lastmod":       &fm.Lastmod,
		"updated":       &fm.Updated,
		"summary":       &fm.Summary,
		"description":   &fm.Description,
		"permalink":     &fm.Permalink,
		"aliases":       &fm.Aliases,
		"canonicalurl":  &fm.CanonicalURL,
		"canonical_url": &fm.CanonicalSnake,
		"canonical":     &fm.Canon,
		"author":        &fm.Author,
		"authors":       &fm.Authors,
		"tags":          &fm.Tags,
		"categories":    &fm.Categories,
		"draft":         &fm.Draft,
	}
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
			return nil, valueProblem(file, key, err)
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
// one string of comma-separated items such as "Networks, Research".
type list []string

func (l *list) UnmarshalYAML(n *yaml.Node) error {
	n = deref(n)
	if s, ok := scalar(n); ok {
		*l = splitTrimmed(s, ",")
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
