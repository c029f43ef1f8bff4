package post

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Source is a post to be written as a Markdown file: what archive new and
// archive import produce. Its Markdown parses back (with Parse) into a Post
// with the same fields.
type Source struct {
	Title   string
	Date    time.Time // written as YYYY-MM-DD when it is midnight UTC, else RFC 3339
	Slug    string    // written only when set; the file name gives it otherwise
	Authors []string
	Tags    []string
	Summary string
	Aliases []string // old URLs, so links to the old site can be redirected
	Draft   bool
	Body    string // Markdown
}

// frontMatterOut is the written form; the field order is the order of the
// keys in the file, as an editor would write them.
type frontMatterOut struct {
	Title   string   `yaml:"title"`
	Date    dateOut  `yaml:"date"`
	Slug    string   `yaml:"slug,omitempty"`
	Author  string   `yaml:"author,omitempty"`
	Authors []string `yaml:"authors,omitempty"`
	Tags    []string `yaml:"tags,flow,omitempty"`
	Summary string   `yaml:"summary,omitempty"`
	Aliases []string `yaml:"aliases,omitempty"`
	Draft   bool     `yaml:"draft,omitempty"`
}

// Markdown renders the source: YAML front matter between --- lines, a
// blank line, the body. It fails when Title is empty or Date is zero,
// since such a file would not load.
func (s Source) Markdown() ([]byte, error) {
	title := strings.Join(strings.Fields(s.Title), " ")
	if title == "" {
		return nil, fmt.Errorf("a post needs a title")
	}
	if s.Date.IsZero() {
		return nil, fmt.Errorf("post %q needs a date", title)
	}
	fm := frontMatterOut{Title: title, Date: dateOut(formatDate(s.Date)), Slug: s.Slug, Tags: s.Tags,
		Summary: strings.Join(strings.Fields(s.Summary), " "), Aliases: s.Aliases, Draft: s.Draft}
	if len(s.Authors) == 1 {
		fm.Author = s.Authors[0]
	} else {
		fm.Authors = s.Authors
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(fm); err != nil {
		return nil, fmt.Errorf("post %q: front matter: %w", title, err)
	}
	enc.Close()
	b.WriteString("---\n\n")
	b.WriteString(strings.TrimSpace(s.Body))
	b.WriteString("\n")
	return b.Bytes(), nil
}

func formatDate(t time.Time) string {
	if u := t.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
		return u.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

// dateOut writes a date unquoted, as editors write it; a plain string
// that looks like a date would be quoted.
type dateOut string

func (d dateOut) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: string(d)}, nil
}
