package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Hits are most of a search answer's bytes, and encoding/json spent a
// sixth of an API search's CPU on them: each hit's MarshalJSON encoded
// its members through reflection, then the outer encoder scanned the
// result again to validate and compact it. Hits are therefore written
// here, byte for byte as encoding/json writes them (<, >, & and U+2028/9
// escaped, invalid UTF-8 replaced), and a list answer is encoded with its
// hits member null, which is then replaced by the hits (see mustJSON).
// Tests compare both with encoding/json.

// appendJSON writes v as its MarshalJSON does.
func (v hitView) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, '{')
	n := 0
	member := func(key string) {
		if n > 0 {
			dst = append(dst, ',')
		}
		n++
		dst = appendJSONString(dst, key)
		dst = append(dst, ':')
	}
	var err error
	for _, m := range v.extra {
		member(m.key)
		if dst, err = appendJSONValue(dst, m.value); err != nil {
			return nil, fmt.Errorf("field %s: %w", m.key, err)
		}
	}
	for _, i := range v.fields {
		f := hitFields[i]
		member(f.name)
		if dst, err = appendJSONValue(dst, f.json(v.hit)); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
	}
	return append(dst, '}'), nil
}

// appendJSONValue writes the value of a hit's member; types other than the
// members' own go through encoding/json.
func appendJSONValue(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case string:
		return appendJSONString(dst, v), nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case float64:
		return appendJSONFloat(dst, v)
	case time.Time:
		b, err := v.MarshalJSON()
		return append(dst, b...), err
	case []string:
		return appendJSONArray(dst, v, appendJSONString), nil
	case []apiFragment:
		return appendJSONArray(dst, v, appendFragment), nil
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return append(dst, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}

// appendJSONArray writes xs as encoding/json does, null when nil.
func appendJSONArray[T any](dst []byte, xs []T, elem func([]byte, T) []byte) []byte {
	if xs == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, x := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = elem(dst, x)
	}
	return append(dst, ']')
}

func appendFragment(dst []byte, f apiFragment) []byte {
	dst = append(dst, `{"html":`...)
	dst = appendJSONString(dst, f.HTML)
	if f.Heading != "" {
		dst = append(dst, `,"heading":`...)
		dst = appendJSONString(dst, f.Heading)
	}
	dst = append(dst, `,"url":`...)
	dst = appendJSONString(dst, f.URL)
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping on.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONFloat writes f as encoding/json writes a float64.
func appendJSONFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// hitList is the hits member of a list answer, spliced in by mustJSON.
type hitList interface {
	// withoutHits is the answer with its last member, the hits, nil.
	withoutHits() any
	hitViews() []hitView
}

func (r apiSearchResponse) withoutHits() any    { r.Hits = nil; return plainSearchResponse(r) }
func (r apiSearchResponse) hitViews() []hitView { return r.Hits }
func (r apiPostsResponse) withoutHits() any     { r.Posts = nil; return plainPostsResponse(r) }
func (r apiPostsResponse) hitViews() []hitView  { return r.Posts }

// The answers as encoding/json sees them, without the splice.
type (
	plainSearchResponse apiSearchResponse
	plainPostsResponse  apiPostsResponse
)

// spliceHits encodes a list answer: encoding/json writes everything but
// the hits, which end it as null, and the hits replace the null.
func spliceHits(a hitList) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(a.withoutHits()); err != nil {
		return nil, err
	}
	head, ok := bytes.CutSuffix(buf.Bytes(), []byte("null}\n"))
	if !ok {
		return nil, fmt.Errorf("the hits are not the last member of %T", a)
	}
	hits := a.hitViews()
	if hits == nil {
		return append(head, "null}\n"...), nil
	}
	out := append(head, '[')
	for i, h := range hits {
		if i > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = h.appendJSON(out); err != nil {
			return nil, err
		}
	}
	return append(out, "]}\n"...), nil
}
