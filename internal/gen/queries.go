package gen

import (
	_ "embed"
	"regexp"
	"strings"
)

//go:embed queries.txt
var queriesTxt string

// Query is one line of the benchmark query mix.
type Query struct {
	Kind string // term_common, term_rare, phrase, prefix, field_tag, typo …
	Text string // in the mix's syntax: words, "phrases", pre*, tag:v, title:v
}

// ClauseKind says what one clause of a Query asks for.
type ClauseKind int

// The clause kinds of the query mix. Every clause of a query is required.
const (
	Term   ClauseKind = iota // one word, analysed by each engine
	Phrase                   // words in this order
	Prefix                   // any word starting with Value
	Field                    // Value in field Name (tag or title); Phrase if quoted
)

// Clause is one required part of a Query.
type Clause struct {
	Kind   ClauseKind
	Field  string // "tag" or "title" for Field clauses
	Value  string
	Quoted bool // a Field clause whose value was a "phrase"
}

// Queries returns the query mix: the shared reference set of 226 queries
// in its order, then typo queries.
func Queries() []Query {
	var out []Query
	for _, line := range strings.Split(queriesTxt, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, text, _ := strings.Cut(line, "\t")
		out = append(out, Query{Kind: kind, Text: text})
	}
	return out
}

var clauseRE = regexp.MustCompile(`(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)`)

// Clauses splits the query the way the reference baseline does
// (parse_query in the performance kit's corpus.py).
func (q Query) Clauses() []Clause {
	var out []Clause
	for _, m := range clauseRE.FindAllStringSubmatch(q.Text, -1) {
		switch {
		case m[1] != "":
			out = append(out, Clause{Kind: Field, Field: strings.ToLower(m[1]), Value: m[2], Quoted: true})
		case m[3] != "" && (strings.EqualFold(m[3], "tag") || strings.EqualFold(m[3], "title")):
			out = append(out, Clause{Kind: Field, Field: strings.ToLower(m[3]), Value: m[4]})
		case strings.HasPrefix(m[0], `"`):
			out = append(out, Clause{Kind: Phrase, Value: m[5]})
		case len(m[0]) > 1 && strings.HasSuffix(m[0], "*"):
			out = append(out, Clause{Kind: Prefix, Value: strings.TrimSuffix(m[0], "*")})
		default:
			out = append(out, Clause{Kind: Term, Value: m[0]})
		}
	}
	return out
}

// SearchBox turns the query into what a reader types into the archive's
// search box plus tag filters: tag: clauses become filters, phrases stay
// quoted, prefixes keep their star, and title: clauses stay title:
// clauses, which search the title alone, as FTS5's column filter and
// Xapian's prefix do.
func (q Query) SearchBox() (text string, tags []string) {
	var words []string
	for _, c := range q.Clauses() {
		switch {
		case c.Kind == Field && c.Field == "tag":
			tags = append(tags, c.Value)
		case c.Kind == Field && c.Quoted:
			words = append(words, c.Field+`:"`+c.Value+`"`)
		case c.Kind == Field:
			words = append(words, c.Field+":"+c.Value)
		case c.Kind == Phrase:
			words = append(words, `"`+c.Value+`"`)
		case c.Kind == Prefix:
			words = append(words, c.Value+"*")
		default:
			words = append(words, c.Value)
		}
	}
	return strings.Join(words, " "), tags
}
