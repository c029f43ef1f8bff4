package site

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Limits on Site.Values: a config is the blog's own file, but it is read
// on every start and its values go into every post's rendering, so its
// size must not grow the work without end.
const (
	maxValues     = 1000 // keys kept of one file; deeper, then later (sorted) ones are dropped
	maxValueBytes = 4096 // a longer value is dropped, not cut: half a URL is worse than none
	maxValueDepth = 8    // tables nested deeper are not read
)

// values flattens a decoded generator config into the keys a post's
// templates write: top-level scalars as they are ("repository",
// "baseurl"), nested ones dotted ("params.author.name"). Hugo's params
// and Zola's extra also answer by their bare name, since {{% param x %}}
// falls back to the site's params; a top-level key of that name wins.
// Hugo's keys are case-insensitive, so each key is also kept lowercased.
// Only strings, numbers and booleans are kept; lists, dates and tables
// are not values a template prints.
func values(m map[string]any) map[string]string {
	out := map[string]string{}
	flatten(out, "", m, 0)
	for _, table := range []string{"params", "extra"} {
		sub, _ := lookup(m, table).(map[string]any)
		flatten(out, "", sub, 1)
	}
	for _, k := range slices.Sorted(maps.Keys(out)) {
		put(out, strings.ToLower(k), out[k])
	}
	return out
}

// flatten adds m's scalars to out under prefix, then its tables', so the
// bound drops deep keys before top-level ones; keys go in sorted order so
// which keys it drops does not change from run to run. Existing keys are
// kept, so a later pass never overrides an earlier one.
func flatten(out map[string]string, prefix string, m map[string]any, depth int) {
	if depth > maxValueDepth {
		return
	}
	keys := slices.Sorted(maps.Keys(m))
	for _, k := range keys {
		if v, ok := scalar(m[k]); ok {
			put(out, prefix+k, v)
		}
	}
	for _, k := range keys {
		if sub, ok := m[k].(map[string]any); ok {
			flatten(out, prefix+k+".", sub, depth+1)
		}
	}
}

// put sets key to v unless it is set already, v is too long, or out is
// full.
func put(out map[string]string, key, v string) {
	if _, ok := out[key]; ok || len(v) > maxValueBytes || len(out) >= maxValues {
		return
	}
	out[key] = v
}

// scalar is v as a template prints it, for strings, numbers and booleans.
func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		return strconv.FormatBool(t), true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case uint64:
		return strconv.FormatUint(t, 10), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	}
	return "", false
}

// mergeValues sets o's values on s's, o winning. Each file's values are
// bounded when read, and a site has at most two generator configs and two
// site.yaml files, so the merge needs no bound of its own.
func (s *Site) mergeValues(o map[string]string) {
	if len(o) == 0 {
		return
	}
	if s.Values == nil {
		s.Values = map[string]string{}
	}
	maps.Copy(s.Values, o)
}

// fileValues are the values of site.yaml's text fields, under the keys
// the file writes.
func (s Site) fileValues() map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{
		"title": s.Title, "description": s.Description, "language": s.Language,
		"base_url": s.BaseURL, "author": s.Author, "footer": s.Footer, "license": s.License,
	} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}
