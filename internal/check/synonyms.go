package check

import (
	"fmt"
	"regexp"
	"strings"
)

// synonyms warns about entries of the synonyms file that no post uses:
// usually a misspelling, or vocabulary the archive does not need. The
// comparison ignores case, and hyphens and spaces are the same.
func (c *checker) synonyms() {
	if len(c.opts.Synonyms) == 0 {
		return
	}
	var text strings.Builder
	for _, p := range c.posts {
		text.WriteString(normalizeWords(p.Title + " " + strings.Join(p.Tags, " ") + " " + string(p.Body)))
		text.WriteString(" ")
	}
	all := " " + text.String()
	for _, g := range c.opts.Synonyms {
		for _, t := range g.Terms {
			if !occurs(all, normalizeWords(t)) {
				c.add(Finding{File: c.opts.SynonymsFile, Line: g.Line, Severity: Warning, Code: "synonyms",
					Message: fmt.Sprintf("%q does not occur in any post", t),
					Fix:     "check its spelling, or drop it if the archive does not need it"})
			}
		}
	}
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}]+`)

func normalizeWords(s string) string {
	return strings.ToLower(strings.TrimSpace(nonWord.ReplaceAllString(s, " ")))
}

// occurs finds term as whole words, allowing a plural ending.
func occurs(text, term string) bool {
	for _, end := range []string{" ", "s ", "es "} {
		if strings.Contains(text, " "+term+end) {
			return true
		}
	}
	return false
}
