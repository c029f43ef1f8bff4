package render

import "strings"

// params are a shortcode's arguments: named (key="value") or positional.
type params struct {
	named      map[string]string
	positional []string
}

// get returns the named parameter, or else the positional one at pos
// (pos < 0: named only), or "".
func (ps params) get(name string, pos int) string {
	if v, ok := ps.named[name]; ok {
		return v
	}
	if pos >= 0 && pos < len(ps.positional) {
		return ps.positional[pos]
	}
	return ""
}

// parseParams reads Hugo's parameter syntax: words separated by spaces,
// values bare, "double-quoted" (with backslash escapes) or `raw`.
func parseParams(s string) params {
	var ps params
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return ps
		}
		var key, val string
		key, val, s = nextParam(s)
		if key == "" {
			ps.positional = append(ps.positional, val)
			continue
		}
		if ps.named == nil {
			ps.named = make(map[string]string)
		}
		ps.named[strings.ToLower(key)] = val
	}
}

// nextParam splits the first parameter off s.
func nextParam(s string) (key, val, rest string) {
	if s[0] != '"' && s[0] != '`' {
		end := strings.IndexAny(s, " \t=")
		if end >= 0 && s[end] == '=' {
			key, s = s[:end], s[end+1:]
		}
	}
	val, rest = paramValue(s)
	return key, val, rest
}

func paramValue(s string) (val, rest string) {
	if s == "" {
		return "", ""
	}
	switch s[0] {
	case '"':
		return quoted(s[1:])
	case '`':
		if end := strings.IndexByte(s[1:], '`'); end >= 0 {
			return s[1 : end+1], s[end+2:]
		}
		return s[1:], ""
	}
	end := strings.IndexAny(s, " \t")
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}

// quoted reads up to the closing double quote, honouring \" and \\.
func quoted(s string) (val, rest string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}
