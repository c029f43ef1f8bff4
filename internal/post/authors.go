package post

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// Bounds on reading authors files: they are small registries, and a huge
// or endless one must not stall a load.
const (
	maxAuthorsFileSize = 1 << 20
	maxAuthorFiles     = 10000
)

// Authors maps the author ids a blog's posts use (authors: [jdoe]) to the
// display names its authors file gives them. The zero value and nil know
// no ids; an id they do not know is shown as a name made from it.
type Authors struct {
	byID map[string]string
}

// ReadAuthors reads the author registries found in fsys under dir ("."
// for the posts folder): authors.yml, authors.yaml, authors.json or
// authors.toml, each a mapping from id to an entry with a name (as
// Docusaurus writes authors.yml beside its blog), and an authors folder
// with one file per author named by id (as Hugo's data/authors). Entries
// may also be plain names. Files that are missing, too large or do not
// parse are skipped: an author shown by id is better than a post lost.
func ReadAuthors(fsys fs.FS, dir string) *Authors {
	a := &Authors{byID: map[string]string{}}
	for _, ext := range []string{".yml", ".yaml", ".json", ".toml"} {
		var m map[string]any
		if decodeFile(fsys, path.Join(dir, "authors"+ext), &m) {
			for id, entry := range m {
				a.add(id, entry)
			}
		}
	}
	entries, err := fs.ReadDir(fsys, path.Join(dir, "authors"))
	if err != nil {
		return a
	}
	for _, e := range entries[:min(len(entries), maxAuthorFiles)] {
		ext := path.Ext(e.Name())
		var entry map[string]any
		if !e.IsDir() && decodeFile(fsys, path.Join(dir, "authors", e.Name()), &entry) {
			a.add(strings.TrimSuffix(e.Name(), ext), entry)
		}
	}
	return a
}

// add files one registry entry: a mapping with a name (name, title or
// display_name), or a plain name.
func (a *Authors) add(id string, entry any) {
	var name string
	switch e := entry.(type) {
	case string:
		name = e
	case map[string]any:
		for _, key := range []string{"name", "display_name", "displayName", "title"} {
			if s, ok := e[key].(string); ok && strings.TrimSpace(s) != "" {
				name = s
				break
			}
		}
	}
	if name = strings.Join(strings.Fields(name), " "); name != "" && id != "" {
		a.byID[id] = name
	}
}

// decodeFile decodes a YAML, JSON or TOML file by its extension; ok is
// false if it is missing, too large or malformed.
func decodeFile(fsys fs.FS, name string, v any) bool {
	info, err := fs.Stat(fsys, name)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxAuthorsFileSize {
		return false
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return false
	}
	data = cleanText(data)
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return json.Unmarshal(data, v) == nil
	case ".toml":
		_, err := toml.NewDecoder(bytes.NewReader(data)).Decode(v)
		return err == nil
	case ".yml", ".yaml":
		return decodeYAML(data, v)
	}
	return false
}

// decodeYAML guards against yaml.v3 panics, as yamlRoot does.
func decodeYAML(data []byte, v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return yaml.Unmarshal(data, v) == nil
}

// names merges author lists into display names, resolving ids through
// the registry. One author string often names several people ("A, B",
// "A & B", "A and B"), Hugo sites list author slugs ("evan-miyazono")
// rather than names, and some write Markdown links ("[Ada](https://…)").
func (a *Authors) names(lists ...list) []string {
	var names []string
	for _, l := range lists {
		for _, s := range l {
			if name, ok := a.lookup(s); ok {
				names = append(names, name)
				continue
			}
			for _, name := range splitAuthors(stripLinks(s)) {
				names = append(names, displayName(name))
			}
		}
	}
	return unique(names)
}

func (a *Authors) lookup(id string) (string, bool) {
	if a == nil {
		return "", false
	}
	name, ok := a.byID[strings.TrimSpace(id)]
	return name, ok
}

// Len is the number of ids the registry knows.
func (a *Authors) Len() int {
	if a == nil {
		return 0
	}
	return len(a.byID)
}
