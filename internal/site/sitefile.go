package site

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// yamlLine finds the line in a yaml.v3 syntax error ("yaml: line 3: …").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseSiteFile reads the archive's own site.yaml strictly: an unknown
// key is an error naming its line, since a misspelt "titel" would
// otherwise leave the default title in place without a word.
func parseSiteFile(name string, b []byte) (Site, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		}
		return Site{}, &Error{File: name, Line: line, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return Site{}, nil // an empty file: the defaults
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return Site{}, &Error{File: name, Line: m.Line, Msg: "the file must be a mapping of keys (title: …, description: …)"}
	}
	var s Site
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if err := s.setKey(name, k, v); err != nil {
			return Site{}, err
		}
	}
	s.Values = s.fileValues()
	return s, nil
}

func (s *Site) setKey(file string, k, v *yaml.Node) error {
	var dst *string
	switch k.Value {
	case "title":
		dst = &s.Title
	case "description":
		dst = &s.Description
	case "language":
		dst = &s.Language
	case "author":
		dst = &s.Author
	case "footer":
		dst = &s.Footer
	case "license", "licence":
		dst = &s.License
	case "base_url", "baseURL":
		u, err := text(file, k.Value, v)
		if err == nil && u != "" {
			err = checkBaseURL(file, v.Line, u)
		}
		s.BaseURL = u
		return err
	case "nav":
		nav, err := navOf(file, v)
		s.Nav = nav
		return err
	default:
		return &Error{File: file, Line: k.Line, Msg: fmt.Sprintf("unknown key %q (the keys are title, description, language, base_url, author, nav, footer, license)", k.Value)}
	}
	t, err := text(file, k.Value, v)
	*dst = t
	if err == nil && k.Value == "language" && t != "" && !languageTag.MatchString(t) {
		err = &Error{File: file, Line: v.Line, Msg: fmt.Sprintf("language %q is not a language tag like en or pt-BR", t)}
	}
	return err
}

// languageTag is the shape of a BCP 47 tag, enough to keep the lang
// attribute meaningful.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// text reads a scalar as one line of text; null is "".
func text(file, key string, v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", &Error{File: file, Line: v.Line, Msg: key + " must be text"}
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	t := strings.Join(strings.Fields(v.Value), " ")
	if n := utf8.RuneCountInString(t); n > maxText {
		return "", &Error{File: file, Line: v.Line, Msg: fmt.Sprintf("%s is %d characters long; at most %d fit on a page", key, n, maxText)}
	}
	return t, nil
}

// navOf reads the list of navigation links: - {title: About, url: https://…}.
func navOf(file string, v *yaml.Node) ([]Link, error) {
	if v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, &Error{File: file, Line: v.Line, Msg: "nav must be a list of links like - {title: About, url: https://example.org/about}"}
	}
	if len(v.Content) > maxNav {
		return nil, &Error{File: file, Line: v.Line, Msg: fmt.Sprintf("nav has %d links; at most %d fit in the navigation", len(v.Content), maxNav)}
	}
	var out []Link
	for _, item := range v.Content {
		var l Link
		if item.Kind != yaml.MappingNode {
			return nil, &Error{File: file, Line: item.Line, Msg: "a nav link must be {title: …, url: …}"}
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			t, err := text(file, "nav "+k.Value, val)
			if err != nil {
				return nil, err
			}
			switch k.Value {
			case "title":
				l.Title = t
			case "url":
				l.URL = t
			default:
				return nil, &Error{File: file, Line: k.Line, Msg: fmt.Sprintf("unknown nav key %q (a link has title and url)", k.Value)}
			}
		}
		if l.Title == "" || !SafeLink(l.URL) {
			return nil, &Error{File: file, Line: item.Line, Msg: "a nav link needs a title and a url that is http(s)://… or a path starting with /"}
		}
		out = append(out, l)
	}
	return out, nil
}

// SafeLink reports whether u may be a link on every page: an absolute
// http(s) URL or a path on the archive, never javascript: or data:.
func SafeLink(u string) bool {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, "/\\") {
		return true
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

func checkBaseURL(file string, line int, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return &Error{File: file, Line: line, Msg: fmt.Sprintf("base_url %q must be an absolute http or https URL like https://archive.example.org", raw)}
	}
	return nil
}
