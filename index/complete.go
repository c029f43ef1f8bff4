package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/spell"
)

// Completions are what search-as-you-type offers for a prefix.
type Completions struct {
	Terms  []string    // words of the archive that start with the last word typed, most common first
	Titles []TitleLink // posts whose title matches what was typed, best first
}

// TitleLink names one post by title.
type TitleLink struct {
	Slug, Title string
}

// Complete returns up to n words and n titles for text typed so far. The
// words are real words of the posts (not stems), so they can be put back
// into the search box. It fails only when the index cannot be read.
func (ix *Index) Complete(ctx context.Context, text string, n int) (*Completions, error) {
	out := &Completions{Terms: []string{}, Titles: []TitleLink{}}
	words := strings.Fields(strings.ToLower(text))
	if len(words) == 0 || n <= 0 {
		return out, nil
	}
	var err error
	if out.Terms, err = ix.words(ctx, words[len(words)-1], n); err != nil {
		return nil, err
	}
	if out.Titles, err = ix.titlesLike(ctx, words, n); err != nil {
		return nil, err
	}
	return out, nil
}

// titlesLike finds titles that hold the earlier words and a word starting
// with the last one. Titles are stemmed in the index, so the last word is
// tried both as typed and as its stem ("decentrali" is indexed "decentr").
func (ix *Index) titlesLike(ctx context.Context, words []string, n int) ([]TitleLink, error) {
	last := words[len(words)-1]
	prefixes := []bq.Query{titlePrefix(last)}
	if stem := ix.stemOf(last); stem != "" && stem != last {
		prefixes = append(prefixes, titlePrefix(stem))
	}
	parts := []bq.Query{bleve.NewDisjunctionQuery(prefixes...)}
	if len(words) > 1 {
		mq := bleve.NewMatchQuery(strings.Join(words[:len(words)-1], " "))
		mq.SetField(schema.FieldTitle)
		mq.SetOperator(bq.MatchQueryOperatorAnd)
		parts = append(parts, mq)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(parts...), n, 0, false)
	req.SortBy([]string{"-_score", "-" + schema.FieldDate, schema.FieldSlug})
	req.Fields = []string{schema.FieldTitle}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("complete titles %q: %w", last, err)
	}
	out := []TitleLink{}
	for _, h := range res.Hits {
		out = append(out, TitleLink{Slug: h.ID, Title: str(h.Fields[schema.FieldTitle])})
	}
	return out, nil
}

func titlePrefix(p string) bq.Query {
	q := bleve.NewPrefixQuery(p)
	q.SetField(schema.FieldTitle)
	return q
}

// stemOf is the indexed form of a typed word, or "" for none (a stop
// word, or a word the query syntax excludes).
func (ix *Index) stemOf(word string) string {
	toks := ix.an.Analyze([]byte(positiveWords(word)))
	if len(toks) == 0 {
		return ""
	}
	return string(toks[0].Term)
}

// Words shorter than this are not offered: they are noise as completions.
const minCompletionLen = 3

// words returns up to n words of the serving build that start with prefix,
// used by most posts first. It reads the vocabulary, which every sync
// keeps current, so nothing is cached or rebuilt after an edit.
func (ix *Index) words(ctx context.Context, prefix string, n int) ([]string, error) {
	ix.mu.RLock()
	voc := ix.cur.voc
	ix.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := voc.Prefix(prefix, spell.MaxPrefixScan)
	if err != nil {
		return nil, fmt.Errorf("complete %q: %w", prefix, err)
	}
	var found []spell.Candidate
	for _, e := range entries {
		if offerable(e.Word) {
			found = append(found, spell.Candidate{Word: e.Word, DF: e.Count})
		}
	}
	slices.SortFunc(found, func(a, b spell.Candidate) int {
		return cmp.Or(cmp.Compare(b.DF, a.DF), cmp.Compare(a.Word, b.Word))
	})
	out := []string{}
	for _, c := range found[:min(n, len(found))] {
		out = append(out, c.Word)
	}
	return out, nil
}

// offerable says whether a dictionary word is worth offering: long enough,
// no number, and no possessive or other inner punctuation ("filecoin’s"),
// which the tokenizer keeps inside words.
func offerable(w string) bool {
	if utf8.RuneCountInString(w) < minCompletionLen || len(w) > 40 || isNumber(w) {
		return false
	}
	return strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0
}

func isNumber(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' && r != '-' }) < 0
}

// positiveWords drops what a query excludes or uses as syntax.
func positiveWords(q string) string {
	q = strings.NewReplacer(`"`, " ", "(", " ", ")", " ").Replace(q)
	var keep []string
	skipNext := false
	for _, w := range strings.Fields(q) {
		switch {
		case skipNext:
			skipNext = false
		case w == "NOT":
			skipNext = true
		case w == "AND" || w == "OR" || strings.HasPrefix(w, "-") || strings.HasPrefix(strings.ToLower(w), "date:"):
		default:
			if i := strings.IndexByte(w, ':'); i > 0 {
				w = w[i+1:]
			}
			keep = append(keep, strings.TrimPrefix(w, "+"))
		}
	}
	return strings.Join(keep, " ")
}
