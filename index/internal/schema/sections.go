package schema

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Section is the stored form of render.Section: short keys keep the
// stored field small, since it is loaded with every hit.
type Section struct {
	Heading string `json:"h,omitempty"`
	Anchor  string `json:"a,omitempty"`
	Start   int    `json:"s"`
}

// DecodeSections reads a post's stored sections. Every search hit with
// snippets needs them, and encoding/json took a tenth of such a search;
// the field is always json.Marshal's output for []Section, which this
// reads directly, leaving anything else (an escape in a heading, say) to
// encoding/json.
func DecodeSections(s string) ([]Section, error) {
	if out, ok := readSections(s); ok {
		return out, nil
	}
	var out []Section
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

func readSections(s string) ([]Section, bool) {
	rest, ok := strings.CutPrefix(s, "[")
	out := make([]Section, 0, 8)
	if rest == "]" {
		return out, ok
	}
	for ok {
		var sec Section
		if sec, rest, ok = readSection(rest); !ok {
			return nil, false
		}
		out = append(out, sec)
		if rest == "]" {
			return out, true
		}
		rest, ok = strings.CutPrefix(rest, ",")
	}
	return nil, false
}

// readSection reads one {"h":…,"a":…,"s":…} object from the start of s.
func readSection(s string) (Section, string, bool) {
	var sec Section
	rest, ok := strings.CutPrefix(s, "{")
	if after, empty := strings.CutPrefix(rest, "}"); ok && empty {
		return sec, after, true
	}
	for ok {
		var key string
		if key, rest, ok = cutJSONString(rest); !ok {
			break
		}
		if rest, ok = strings.CutPrefix(rest, ":"); !ok {
			break
		}
		switch key {
		case "h":
			sec.Heading, rest, ok = cutJSONString(rest)
		case "a":
			sec.Anchor, rest, ok = cutJSONString(rest)
		case "s":
			sec.Start, rest, ok = cutJSONInt(rest)
		default:
			ok = false
		}
		if !ok {
			break
		}
		if after, end := strings.CutPrefix(rest, "}"); end {
			return sec, after, true
		}
		rest, ok = strings.CutPrefix(rest, ",")
	}
	return Section{}, s, false
}

// cutJSONString reads a JSON string from the start of s, if it is plain
// valid UTF-8: no escapes or control characters.
func cutJSONString(s string) (string, string, bool) {
	body, ok := strings.CutPrefix(s, `"`)
	end := strings.IndexByte(body, '"')
	if !ok || end < 0 {
		return "", s, false
	}
	str := body[:end]
	for i := 0; i < len(str); i++ {
		if str[i] < 0x20 || str[i] == '\\' {
			return "", s, false
		}
	}
	return str, body[end+1:], utf8.ValidString(str)
}

// cutJSONInt reads a JSON integer from the start of s.
func cutJSONInt(s string) (int, string, bool) {
	end := strings.IndexAny(s, ",}")
	if end < 0 {
		return 0, s, false
	}
	num := s[:end]
	digits := strings.TrimPrefix(num, "-")
	if digits == "" || digits[0] == '0' && len(digits) > 1 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, s, false
	}
	n, err := strconv.Atoi(num)
	return n, s[end:], err == nil
}
