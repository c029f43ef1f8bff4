package schema

import (
	"net/url"
	"path"
	"strings"
)

// MaxAliasLen bounds an alias: an old URL path longer than this is not a
// link anyone followed.
const MaxAliasLen = 1024

// AliasPath is the form in which an old URL of a post is indexed and
// looked up: its path only (a full URL loses scheme and host, a query or
// fragment is dropped), starting with "/", cleaned, without a trailing
// slash or a trailing /index.html, case kept. ok is false for what cannot
// be an old address of a post: an empty path, the home page, or one
// longer than MaxAliasLen.
func AliasPath(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	p := raw
	if u, err := url.Parse(raw); err == nil {
		p = u.Path
	} else if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if p == "" || len(p) > MaxAliasLen {
		return "", false
	}
	p = path.Clean("/" + p)
	for _, idx := range []string{"/index.html", "/index.htm"} {
		p = strings.TrimSuffix(p, idx)
	}
	if p == "/" || p == "" || p == "." {
		return "", false
	}
	return p, true
}

// AliasPaths is the indexed form of a post's aliases, de-duplicated.
func AliasPaths(aliases []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range aliases {
		if p, ok := AliasPath(a); ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
