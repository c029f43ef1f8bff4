package site

import (
	"encoding/json"
	"errors"
	"path"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// generatorFiles are the configuration files of the static-site
// generators whose identity the archive reads, in the order tried; the
// first one present in a folder is used. The paths are slash-separated,
// relative to the site root.
var generatorFiles = []string{
	"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
	"config/_default/hugo.toml", "config/_default/hugo.yaml", "config/_default/hugo.yml",
	"config/_default/config.toml", "config/_default/config.yaml", "config/_default/config.yml",
	"config.toml",                              // Hugo or Zola
	"config.yaml", "config.yml", "config.json", // Hugo
	"_config.yml", "_config.yaml", // Jekyll, Hexo
	"docusaurus.config.ts", "docusaurus.config.js", "docusaurus.config.mjs", "docusaurus.config.cjs",
	"pelicanconf.py",
}

// parseGenerator reads the identity fields a generator's configuration
// holds. It is lenient: only the keys it knows are read, and of those
// only values of the expected type; the rest of the file is the
// generator's business.
func parseGenerator(name string, b []byte) (Site, error) {
	base := path.Base(name)
	switch {
	case strings.HasPrefix(base, "docusaurus.config."):
		s := Site{Title: jsTitle(b)}
		if s.Title != "" {
			s.Values = map[string]string{"title": s.Title}
		}
		return s, nil
	case base == "pelicanconf.py":
		return pelicanSite(b), nil
	}
	m := map[string]any{}
	var err error
	switch path.Ext(base) {
	case ".toml":
		_, err = toml.Decode(string(b), &m)
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Site{}, &Error{File: name, Line: pe.Position.Line, Msg: "not valid TOML: " + pe.Message}
		}
	case ".json":
		err = json.Unmarshal(b, &m)
	default:
		err = yaml.Unmarshal(b, &m)
	}
	if err != nil {
		return Site{}, &Error{File: name, Msg: "could not be read: " + err.Error()}
	}
	s := mapSite(m)
	s.Values = values(m)
	return s, nil
}

// mapSite picks the identity out of a decoded Hugo, Zola, Jekyll or Hexo
// configuration. Hugo's keys are case-insensitive, so every lookup is.
func mapSite(m map[string]any) Site {
	s := Site{
		Title:       str(lookup(m, "title")),
		Description: first(lookup(m, "description"), lookup(m, "params", "description"), lookup(m, "subtitle"), lookup(m, "tagline")),
		Language: first(lookup(m, "languageCode"), lookup(m, "defaultContentLanguage"), lookup(m, "default_language"),
			lookup(m, "lang"), lookup(m, "locale"), lookup(m, "language")),
		Author:  first(lookup(m, "author"), lookup(m, "params", "author"), lookup(m, "extra", "author")),
		License: first(lookup(m, "copyright"), lookup(m, "params", "copyright"), lookup(m, "license")),
	}
	if !languageTag.MatchString(s.Language) {
		s.Language = strings.ReplaceAll(s.Language, "_", "-") // Jekyll's en_US
		if !languageTag.MatchString(s.Language) {
			s.Language = ""
		}
	}
	s.Nav = hugoMenu(first2(lookup(m, "menu", "main"), lookup(m, "menus", "main")))
	for _, p := range []*string{&s.Title, &s.Description, &s.Author, &s.License} {
		*p = clip(*p)
	}
	return s
}

// hugoMenu keeps the links of a Hugo main menu that lead somewhere by
// themselves: a path of the old site ("/docs/") would be a dead link here.
func hugoMenu(v any) []Link {
	items, _ := v.([]any)
	var out []Link
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		l := Link{Title: clip(str(lookup(m, "name"))), URL: str(lookup(m, "url"))}
		if l.Title != "" && strings.HasPrefix(l.URL, "http") && SafeLink(l.URL) && len(out) < maxNav {
			out = append(out, l)
		}
	}
	return out
}

// lookup follows keys through nested maps, matching case-insensitively.
func lookup(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = nil
		for mk, mv := range mm {
			if strings.EqualFold(mk, k) {
				v = mv
				break
			}
		}
	}
	return v
}

// str is v as text: a string, the name of an author object, or the first
// of a list.
func str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.Join(strings.Fields(t), " ")
	case map[string]any:
		return str(lookup(t, "name"))
	case []any:
		if len(t) > 0 {
			return str(t[0])
		}
	}
	return ""
}

func first(vs ...any) string {
	for _, v := range vs {
		if s := str(v); s != "" {
			return s
		}
	}
	return ""
}

func first2(vs ...any) any {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > maxText {
		return string(r[:maxText])
	}
	return s
}

// jsTitle finds the site title in a Docusaurus config: the first
// `title: '…'` at the config object's own level (indented at most two
// spaces), since nested ones title the navbar and the footer.
var jsTitleRe = regexp.MustCompile("(?m)^ {0,2}title:\\s*(['\"`])([^'\"`\\n]+)['\"`]")

func jsTitle(b []byte) string {
	if m := jsTitleRe.FindSubmatch(b); m != nil {
		return clip(strings.TrimSpace(string(m[2])))
	}
	return ""
}

var pelicanRe = regexp.MustCompile(`(?m)^(SITENAME|AUTHOR|DEFAULT_LANG|SITESUBTITLE)\s*=\s*u?(['"])([^'"\n]*)['"]`)

// pelicanSite reads the plain string settings of a pelicanconf.py; it is
// Python, so nothing is evaluated.
func pelicanSite(b []byte) Site {
	s := Site{Values: map[string]string{}}
	for _, m := range pelicanRe.FindAllSubmatch(b, -1) {
		v := clip(strings.TrimSpace(string(m[3])))
		s.Values[string(m[1])] = v
		switch string(m[1]) {
		case "SITENAME":
			s.Title = v
		case "AUTHOR":
			s.Author = v
		case "DEFAULT_LANG":
			if languageTag.MatchString(v) {
				s.Language = v
			}
		case "SITESUBTITLE":
			s.Description = v
		}
	}
	return s
}
