package post

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// block is a file cut into front matter and body.
type block struct {
	// format is the opening delimiter: "---" (YAML), "+++" (TOML), "{"
	// (JSON); "lines" for Pelican's undelimited "Key: value" header; ""
	// when the file has no front matter.
	format string
	// meta is the front matter with an empty line standing in for the
	// opening delimiter, so the line numbers the YAML and TOML parsers
	// report are the file's own line numbers.
	meta     []byte
	body     []byte
	bodyLine int
}

// split cuts text (already LF-normalised, without BOM) at its front-matter
// delimiters: "---" for YAML or "+++" for TOML, each alone on its line, or
// a JSON object starting on the first line as Hugo allows. Text with none
// of these is all body: a plain folder of Markdown has no front matter.
func split(file string, text []byte) (block, *Problem) {
	first, rest, _ := bytes.Cut(text, []byte("\n"))
	delim := string(bytes.TrimRight(first, " \t"))
	if bytes.HasPrefix(first, []byte("{")) {
		return splitJSON(file, text)
	}
	if delim != "---" && delim != "+++" {
		return splitUndelimited(text), nil
	}
	end, line, ok := findDelimiter(rest, delim)
	if !ok {
		return block{}, &Problem{File: file, Line: 1,
			Msg: "front matter opened with " + delim + " is never closed",
			Fix: "end the front matter with a line holding only " + delim}
	}
	b := block{format: delim, bodyLine: line + 1}
	b.meta = append([]byte("\n"), rest[:end]...)
	if i := bytes.IndexByte(rest[end:], '\n'); i >= 0 {
		b.body = rest[end+i+1:]
	}
	return b, nil
}

// maxHeaderLines bounds how far undelimited front matter is looked for.
const maxHeaderLines = 60

// splitUndelimited finds front matter written without an opening line:
// Hexo allows YAML that only ends with "---", and Pelican's own Markdown
// reader takes "Key: value" lines up to the first blank line. Either must
// name a title or a date, so a post that merely starts "Note: …" keeps
// its text. Anything else is all body.
func splitUndelimited(text []byte) block {
	lines := strings.SplitN(string(text), "\n", maxHeaderLines+1)
	named := false
	for i, l := range lines[:min(len(lines), maxHeaderLines)] {
		trimmed := strings.TrimRight(l, " \t")
		switch {
		case trimmed == "---" && i > 0 && named:
			return block{format: "---", meta: []byte(strings.Join(lines[:i], "\n")), body: afterLines(text, i+1), bodyLine: i + 2}
		case trimmed == "" && i > 0 && named:
			return block{format: "lines", meta: []byte(strings.Join(lines[:i], "\n")), body: afterLines(text, i+1), bodyLine: i + 2}
		case trimmed == "":
			return block{body: text, bodyLine: 1}
		case l[0] == ' ' || l[0] == '\t' || strings.HasPrefix(l, "- "):
			if i == 0 {
				return block{body: text, bodyLine: 1}
			}
		default:
			key, _, ok := strings.Cut(l, ":")
			if !ok || !isHeaderKey(key) {
				return block{body: text, bodyLine: 1}
			}
			named = named || strings.EqualFold(key, "title") || strings.EqualFold(key, "date")
		}
	}
	return block{body: text, bodyLine: 1}
}

// afterLines returns text after its first n lines.
func afterLines(text []byte, n int) []byte {
	for ; n > 0; n-- {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			return nil
		}
		text = text[i+1:]
	}
	return text
}

// splitJSON cuts a JSON object off the front of text; the body starts on
// the line after the object's closing brace.
func splitJSON(file string, text []byte) (block, *Problem) {
	dec := json.NewDecoder(bytes.NewReader(text))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return block{}, syntaxProblem(file, 1, "JSON", err.Error())
	}
	end := int(dec.InputOffset())
	b := block{format: "{", meta: raw, bodyLine: lineOf(text, end)}
	if i := bytes.IndexByte(text[end:], '\n'); i >= 0 {
		b.body, b.bodyLine = text[end+i+1:], b.bodyLine+1
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
	switch b.format {
	case "+++":
		return tomlRoot(file, b.meta)
	case "{":
		return jsonRoot(file, b.meta)
	case "":
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	case "lines":
		if root, ok := keyValueRoot(b.meta); ok {
			return root, nil
		}
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	root, p := yamlRoot(file, b.meta)
	if p != nil && strings.HasPrefix(p.Msg, "front matter is not valid YAML") {
		if lines, ok := keyValueRoot(b.meta); ok {
			return lines, nil // Pelican-style headers: not YAML, but plainly meant
		}
	}
	return root, p
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
	return mapRoot(file, "TOML", tomlPlain(m).(map[string]any), tomlKeyLines(meta))
}

// jsonRoot parses JSON front matter. Keys' lines are not known: messages
// about them point at the opening brace.
func jsonRoot(file string, meta []byte) (*yaml.Node, *Problem) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(meta))
	dec.UseNumber() // keep numbers as written, like YAML and TOML values
	if err := dec.Decode(&m); err != nil {
		return nil, &Problem{File: file, Line: 1,
			Msg: "front matter is not a JSON object: " + err.Error(),
			Fix: "write the front matter as { \"title\": \"...\", \"date\": \"YYYY-MM-DD\" }"}
	}
	for k, v := range m {
		if n, ok := v.(json.Number); ok {
			m[k] = n.String()
		}
	}
	return mapRoot(file, "JSON", m, nil)
}

// mapRoot turns a decoded TOML or JSON table into a YAML mapping node, so
// one decoder serves every format; lines gives each key's line, if known.
func mapRoot(file, format string, m map[string]any, lines map[string]int) (*yaml.Node, *Problem) {
	var root yaml.Node
	if err := root.Encode(m); err != nil {
		return nil, syntaxProblem(file, 0, format, err.Error())
	}
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

// keyValueRoot reads front matter as "Key: value" lines, the way Pelican
// and Python-Markdown's meta extension do, for headers that are not valid
// YAML because a value contains ": " (title: DataFusion: A Query Engine).
// Keys match case-insensitively later, so "Title:" works too. Indented
// lines continue the value above; a value in [brackets] is a list. ok is
// false unless every line has that shape, so YAML that is merely broken
// (an unclosed list, bad indentation) is still reported as broken.
func keyValueRoot(meta []byte) (*yaml.Node, bool) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	var last *yaml.Node
	for i, line := range strings.Split(string(meta), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case line[0] == ' ' || line[0] == '\t':
			if last == nil || looksLikeKey(trimmed) || strings.HasPrefix(trimmed, "- ") {
				return nil, false // a mis-indented key or a list: broken YAML, not a header
			}
			last.Value = strings.TrimSpace(last.Value + " " + trimmed)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok || !isHeaderKey(key) {
			return nil, false
		}
		value = strings.TrimSpace(value)
		if opensUnclosed(value) {
			return nil, false
		}
		value = unwrap(value)
		last = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Line: i + 1}
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.TrimSpace(key), Line: i + 1}, last)
	}
	return root, len(root.Content) > 0
}

// looksLikeKey reports a "key: value" line.
func looksLikeKey(line string) bool {
	key, _, ok := strings.Cut(line, ": ")
	return ok && isHeaderKey(key)
}

// opensUnclosed reports a value that starts a YAML list, mapping or quote
// and never ends it ("[a, b"): YAML that is broken, not a header. A title
// such as "[WIP] Notes" or "'Quoted' and not" is a header's plain text.
func opensUnclosed(v string) bool {
	closer := map[byte]byte{'[': ']', '{': '}', '"': '"', '\'': '\''}
	if v == "" {
		return false
	}
	c, ok := closer[v[0]]
	return ok && strings.IndexByte(v[1:], c) < 0
}

// isHeaderKey accepts a Pelican/Python-Markdown metadata key: a letter,
// then letters, digits, "_" or "-".
func isHeaderKey(key string) bool {
	if key == "" || !unicode.IsLetter(rune(key[0])) {
		return false
	}
	for _, r := range key {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// unwrap drops the brackets of a [list] and the quotes of a quoted value,
// which a line-based header keeps as written.
func unwrap(v string) string {
	if len(v) >= 2 {
		switch first, last := v[0], v[len(v)-1]; {
		case first == '[' && last == ']', first == '"' && last == '"', first == '\'' && last == '\'':
			return strings.TrimSpace(v[1 : len(v)-1])
		}
	}
	return v
}
