package post

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// block is a file cut into front matter and body.
type block struct {
	toml bool
	// meta is the front matter with an empty line standing in for the
	// opening delimiter, so the line numbers the YAML and TOML parsers
	// report are the file's own line numbers.
	meta     []byte
	body     []byte
	bodyLine int
}

// split cuts text (already LF-normalised, without BOM) at its front-matter
// delimiters: "---" for YAML or "+++" for TOML, each alone on its line.
func split(file string, text []byte) (block, *Problem) {
	first, rest, _ := bytes.Cut(text, []byte("\n"))
	delim := string(bytes.TrimRight(first, " \t"))
	if delim != "---" && delim != "+++" {
		return block{}, &Problem{File: file, Line: 1,
			Msg: "no front matter",
			Fix: "start the file with a --- block holding title and date"}
	}
	end, line, ok := findDelimiter(rest, delim)
	if !ok {
		return block{}, &Problem{File: file, Line: 1,
			Msg: "front matter opened with " + delim + " is never closed",
			Fix: "end the front matter with a line holding only " + delim}
	}
	b := block{toml: delim == "+++", bodyLine: line + 1}
	b.meta = append([]byte("\n"), rest[:end]...)
	if i := bytes.IndexByte(rest[end:], '\n'); i >= 0 {
		b.body = rest[end+i+1:]
	}
	return b, nil
}

// findDelimiter returns the offset in rest of the line holding only delim
// and that line's number in the file (rest starts on line 2).
func findDelimiter(rest []byte, delim string) (offset, line int, ok bool) {
	for line = 2; offset < len(rest); line++ {
		l, _, _ := bytes.Cut(rest[offset:], []byte("\n"))
		if string(bytes.TrimRight(l, " \t")) == delim {
			return offset, line, true
		}
		offset += len(l) + 1
	}
	return 0, 0, false
}

// root parses the front matter into a YAML mapping node, whichever format
// it was written in, so one decoder serves both. An empty block gives an
// empty mapping.
func (b block) root(file string) (*yaml.Node, *Problem) {
	if b.toml {
		return tomlRoot(file, b.meta)
	}
	return yamlRoot(file, b.meta)
}

func yamlRoot(file string, meta []byte) (root *yaml.Node, p *Problem) {
	// yaml.v3 is unmaintained and has panicked on hostile input before; a
	// crash in it must not take down a whole load.
	defer func() {
		if r := recover(); r != nil {
			root, p = nil, syntaxProblem(file, 0, "YAML", fmt.Sprint(r))
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(meta, &doc); err != nil {
		line, msg := yamlErrorLine(err.Error())
		return nil, syntaxProblem(file, line, "YAML", msg)
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	root = doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Problem{File: file, Line: root.Line,
			Msg: "front matter is not a set of key: value lines",
			Fix: "write one field per line, e.g. title: My post"}
	}
	return root, nil
}

// yamlErrorLine splits yaml.v3's "yaml: line N: message" into N and message.
func yamlErrorLine(s string) (int, string) {
	s = strings.TrimPrefix(s, "yaml: ")
	rest, ok := strings.CutPrefix(s, "line ")
	if !ok {
		return 0, s
	}
	num, msg, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, s
	}
	if isYAMLParserError(msg) {
		line++
	}
	return line, msg
}

// isYAMLParserError matches the messages yaml.v3 raises in its parser
// rather than its scanner. For those it prints a 0-based line number (see
// parser.fail in yaml.v3's decode.go), one less than the real one.
func isYAMLParserError(msg string) bool {
	switch msg {
	case "did not find expected key",
		"did not find expected node content",
		"did not find expected '-' indicator",
		"did not find expected ',' or ']'",
		"did not find expected ',' or '}'",
		"did not find expected <document start>",
		"did not find expected <stream-start>",
		"found undefined tag handle",
		"found incompatible YAML document",
		"found duplicate %YAML directive",
		"found duplicate %TAG directive":
		return true
	}
	return false
}

func syntaxProblem(file string, line int, format, msg string) *Problem {
	return &Problem{File: file, Line: line,
		Msg: fmt.Sprintf("front matter is not valid %s: %s", format, msg),
		Fix: "check the indentation and quoting near that line; quote values that contain \": \""}
}

func tomlRoot(file string, meta []byte) (*yaml.Node, *Problem) {
	var m map[string]any
	if _, err := toml.Decode(string(meta), &m); err != nil {
		return nil, tomlProblem(file, err)
	}
	var root yaml.Node
	if err := root.Encode(tomlPlain(m)); err != nil {
		return nil, syntaxProblem(file, 0, "TOML", err.Error())
	}
	lines := tomlKeyLines(meta)
	for i := 0; i < len(root.Content); i += 2 {
		root.Content[i].Line = lines[root.Content[i].Value]
	}
	return &root, nil
}

func tomlProblem(file string, err error) *Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return syntaxProblem(file, pe.Position.Line, "TOML", pe.Message)
	}
	return syntaxProblem(file, 0, "TOML", err.Error())
}

// tomlPlain turns TOML's date and time values into the text they were
// written as, so they reach the date parser like YAML values do. TOML
// local dates carry a fake zone that must not leak into the result.
func tomlPlain(v any) any {
	switch v := v.(type) {
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return v.Format("2006-01-02")
		case "datetime-local":
			return v.Format("2006-01-02T15:04:05.999999999")
		case "time-local":
			return v.Format("15:04:05.999999999")
		}
		return v.Format(time.RFC3339Nano)
	case map[string]any:
		for k, x := range v {
			v[k] = tomlPlain(x)
		}
	case []any:
		for i, x := range v {
			v[i] = tomlPlain(x)
		}
	}
	return v
}

// tomlKeyLines finds the line of each top-level key ("key = value" before
// the first table, or a "[table]" header); the TOML decoder does not report
// key positions, and messages need them.
func tomlKeyLines(meta []byte) map[string]int {
	lines := map[string]int{}
	inTable := false
	for i, l := range strings.Split(string(meta), "\n") {
		l = strings.TrimSpace(l)
		var key string
		switch {
		case strings.HasPrefix(l, "["):
			key, inTable = strings.Trim(l, "[] \t"), true
		case !inTable && !strings.HasPrefix(l, "#") && strings.Contains(l, "="):
			key, _, _ = strings.Cut(l, "=")
		}
		key = strings.Trim(strings.TrimSpace(key), `"'`)
		if _, seen := lines[key]; key != "" && !seen {
			lines[key] = i + 1
		}
	}
	return lines
}
