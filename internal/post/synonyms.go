package post

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"
)

// SynonymsFile is where a content folder keeps its vocabulary.
const SynonymsFile = "synonyms.yaml"

// SynonymGroup is words and phrases that mean the same thing in the
// archive; Line is where the group starts in the file.
type SynonymGroup struct {
	Terms []string
	Line  int
}

// LoadSynonyms reads the synonym groups of a content folder: a YAML list
// whose items are lists of two or more words or phrases,
//
//   - [p2p, peer-to-peer, peer to peer]
//
// A missing file means no synonyms. A malformed file, a group with fewer
// than two entries, or an entry in two groups is a *Problem naming the
// line.
func LoadSynonyms(fsys fs.FS, name string) ([]SynonymGroup, error) {
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Problem{File: name, Msg: err.Error(), err: err}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &Problem{File: name, Msg: "not valid YAML: " + err.Error(), Fix: "write one group per line, like - [p2p, peer-to-peer]"}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return synonymGroups(name, doc.Content[0])
}

func synonymGroups(file string, list *yaml.Node) ([]SynonymGroup, error) {
	fix := "write one group per line, like - [p2p, peer-to-peer]"
	if list.Kind != yaml.SequenceNode {
		return nil, &Problem{File: file, Line: list.Line, Msg: "the file must be a list of groups", Fix: fix}
	}
	seen := map[string]int{} // entry -> line of its group
	var out []SynonymGroup
	for _, item := range list.Content {
		g, err := synonymGroup(file, item, fix)
		if err != nil {
			return nil, err
		}
		for _, t := range g.Terms {
			key := strings.ToLower(t)
			if first, dup := seen[key]; dup {
				return nil, &Problem{File: file, Line: item.Line, Msg: fmt.Sprintf("%q is already in the group on line %d", t, first),
					Fix: "merge the two groups"}
			}
			seen[key] = item.Line
		}
		out = append(out, g)
	}
	return out, nil
}

func synonymGroup(file string, item *yaml.Node, fix string) (SynonymGroup, error) {
	g := SynonymGroup{Line: item.Line}
	if item.Kind != yaml.SequenceNode {
		return g, &Problem{File: file, Line: item.Line, Msg: "each group must be a list of words or phrases", Fix: fix}
	}
	for _, e := range item.Content {
		t := strings.Join(strings.Fields(e.Value), " ")
		if e.Kind != yaml.ScalarNode || t == "" {
			return g, &Problem{File: file, Line: e.Line, Msg: "a group entry must be a word or phrase", Fix: fix}
		}
		g.Terms = append(g.Terms, t)
	}
	if len(g.Terms) < 2 {
		return g, &Problem{File: file, Line: item.Line, Msg: "a group needs at least two entries", Fix: fix}
	}
	return g, nil
}
