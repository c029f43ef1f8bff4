package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
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
	v, err := ix.vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	out.Terms = v.withPrefix(words[len(words)-1], n)
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
	prefixes := []query.Query{titlePrefix(last)}
	if stem := stemOf(last); stem != "" && stem != last {
		prefixes = append(prefixes, titlePrefix(stem))
	}
	parts := []query.Query{bleve.NewDisjunctionQuery(prefixes...)}
	if len(words) > 1 {
		mq := bleve.NewMatchQuery(strings.Join(words[:len(words)-1], " "))
		mq.SetField(fieldTitle)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		parts = append(parts, mq)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(parts...), n, 0, false)
	req.SortBy([]string{"-_score", "-" + fieldDate, "_id"})
	req.Fields = []string{fieldTitle}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("complete titles %q: %w", last, err)
	}
	out := []TitleLink{}
	for _, h := range res.Hits {
		out = append(out, TitleLink{Slug: h.ID, Title: str(h.Fields[fieldTitle])})
	}
	return out, nil
}

func titlePrefix(p string) query.Query {
	q := bleve.NewPrefixQuery(p)
	q.SetField(fieldTitle)
	return q
}

func stemOf(word string) string {
	m, err := NewMatcher(word)
	if err != nil {
		return ""
	}
	for t := range m.terms {
		return t
	}
	return ""
}

// vocab is the archive's words with the number of posts using each,
// sorted for prefix lookup.
type vocab struct {
	words []string
	df    map[string]int
}

// vocabCache holds the vocabulary of one build; a new build rebuilds it on
// first use.
type vocabCache struct {
	mu    sync.Mutex
	build string
	v     *vocab
}

// Words shorter than this are not offered: they are noise as completions.
const minCompletionLen = 3

func (ix *Index) vocabulary(ctx context.Context) (*vocab, error) {
	build := ix.Manifest().Label() // changes with every incremental update too
	ix.vocab.mu.Lock()
	defer ix.vocab.mu.Unlock()
	if ix.vocab.v != nil && ix.vocab.build == build {
		return ix.vocab.v, nil
	}
	v, err := ix.buildVocab(ctx)
	if err != nil {
		return nil, err
	}
	ix.vocab.build, ix.vocab.v = build, v
	return v, nil
}

// buildVocab reads every post's stored title, tags and text once.
func (ix *Index) buildVocab(ctx context.Context) (*vocab, error) {
	v := &vocab{df: map[string]int{}}
	const page = 200
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, from, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{fieldTitle, fieldBody, fieldTags}
		res, err := ix.alias.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read vocabulary: %w", err)
		}
		for _, h := range res.Hits {
			text := str(h.Fields[fieldTitle]) + " " + str(h.Fields[fieldBody]) + " " + strings.Join(strs(h.Fields[fieldTags]), " ")
			for w := range wordSet(text) {
				v.df[w]++
			}
		}
		if len(res.Hits) < page {
			break
		}
	}
	for w := range v.df {
		v.words = append(v.words, w)
	}
	sort.Strings(v.words)
	return v, nil
}

// wordSet splits text into lower-case words of letters and digits, keeping
// inner hyphens and dots ("peer-to-peer", "web3", "go-ipfs").
func wordSet(text string) map[string]bool {
	set := map[string]bool{}
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' }
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !isWord(r) }) {
		w = strings.Trim(w, "-.")
		if len([]rune(w)) >= minCompletionLen && len(w) <= 40 && !isNumber(w) {
			set[w] = true
		}
	}
	return set
}

func isNumber(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' && r != '-' }) < 0
}

// withPrefix returns up to n words starting with p, used by most posts first.
func (v *vocab) withPrefix(p string, n int) []string {
	i := sort.SearchStrings(v.words, p)
	var matches []string
	for ; i < len(v.words) && strings.HasPrefix(v.words[i], p); i++ {
		matches = append(matches, v.words[i])
	}
	sort.SliceStable(matches, func(a, b int) bool { return v.df[matches[a]] > v.df[matches[b]] })
	if len(matches) > n {
		matches = matches[:n]
	}
	if matches == nil {
		matches = []string{}
	}
	return matches
}
