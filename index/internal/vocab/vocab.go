// Package vocab holds an archive's vocabulary: every word its posts use,
// as written, with the number of posts that use it. Spelling suggestions
// and completion read it. It lives beside the search index rather than in
// it: as an index field it cost 40% of a full build's time and a fifth of
// the index's size, to answer questions about a few hundred thousand words.
//
// A Vocab is an immutable word list (a finite state transducer, which
// answers prefix and fuzzy lookups without reading every word) plus the
// changes made since it was written; Apply returns a new Vocab, so readers
// never lock.
package vocab

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// MaxFuzziness is the largest edit distance Fuzzy accepts.
const MaxFuzziness = 2

// Entry is a word and the number of posts using it.
type Entry struct {
	Word  string
	Count uint64
}

// Vocab is a vocabulary. The zero value is not usable; use Build, Load or
// Empty.
type Vocab struct {
	base  *vellum.FST      // nil when empty
	data  []byte           // base, encoded
	delta map[string]int64 // changes since base; never modified once set
	added []string         // the words of delta in use that base lacks, sorted
	lev   *automata
}

// automata builds Levenshtein automata. Preparing one costs a few
// milliseconds, so every Vocab derived from another shares its set.
type automata struct {
	once sync.Once
	by   [MaxFuzziness + 1]*levenshtein.LevenshteinAutomatonBuilder
	err  error
}

func (a *automata) builder(d int) (*levenshtein.LevenshteinAutomatonBuilder, error) {
	a.once.Do(func() {
		for i := 1; i <= MaxFuzziness; i++ {
			// transpositions count as one edit, as bleve's own fuzzy
			// dictionary does
			a.by[i], a.err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(i), true)
			if a.err != nil {
				return
			}
		}
	})
	return a.by[d], a.err
}

// Empty returns a vocabulary with no words.
func Empty() *Vocab { return &Vocab{lev: &automata{}} }

// Build makes a vocabulary of counts, dropping words counted zero times,
// and returns it with its encoded form, which Load reads back.
func Build(counts map[string]uint64) (*Vocab, []byte, error) {
	words := make([]string, 0, len(counts))
	for w, n := range counts {
		if n > 0 && w != "" {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("vocabulary: %w", err)
	}
	for _, w := range words {
		if err := b.Insert([]byte(w), counts[w]); err != nil {
			return nil, nil, fmt.Errorf("vocabulary: word %q: %w", w, err)
		}
	}
	if err := b.Close(); err != nil {
		return nil, nil, fmt.Errorf("vocabulary: %w", err)
	}
	v, err := Load(buf.Bytes(), nil)
	if err != nil {
		return nil, nil, err
	}
	return v, buf.Bytes(), nil
}

// Load reads a vocabulary Build encoded, with the changes made since
// (nil for none). It fails on data Build did not make.
func Load(data []byte, delta map[string]int64) (*Vocab, error) {
	v := &Vocab{data: data, lev: &automata{}}
	if len(data) > 0 {
		f, err := vellum.Load(data)
		if err != nil {
			return nil, fmt.Errorf("vocabulary: %w", err)
		}
		v.base = f
	}
	v.setDelta(delta)
	return v, nil
}

// setDelta sets the changes since the base, and the words they add to it,
// which every lookup reads; working them out once here keeps them off
// the path of each search.
func (v *Vocab) setDelta(delta map[string]int64) {
	v.delta = clean(delta)
	v.added = v.added[:0]
	for w, d := range v.delta {
		if d <= 0 {
			continue
		}
		if v.base != nil {
			if _, inBase, _ := v.base.Get([]byte(w)); inBase {
				continue
			}
		}
		v.added = append(v.added, w)
	}
	slices.Sort(v.added)
}

func clean(delta map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(delta))
	for w, d := range delta {
		if d != 0 {
			out[w] = d
		}
	}
	return out
}

// Apply returns v with change added to each word's count: +1 for each
// post that now uses a word, -1 for each that no longer does.
func (v *Vocab) Apply(change map[string]int64) *Vocab {
	delta := make(map[string]int64, len(v.delta)+len(change))
	for w, d := range v.delta {
		delta[w] = d
	}
	for w, d := range change {
		delta[w] += d
	}
	nv := &Vocab{base: v.base, data: v.data, lev: v.lev}
	nv.setDelta(delta)
	return nv
}

// Changes returns how far the vocabulary is from its encoded base: what
// Load needs besides that base to make it again. The caller must not
// modify the map.
func (v *Vocab) Changes() map[string]int64 { return v.delta }

// Compact folds the changes into a new base and returns it, encoded.
func (v *Vocab) Compact() (*Vocab, []byte, error) {
	counts := make(map[string]uint64, len(v.delta))
	if v.base != nil {
		it, err := v.base.Iterator(nil, nil)
		for err == nil {
			k, n := it.Current()
			counts[string(k)] = n
			err = it.Next()
		}
		if !errors.Is(err, vellum.ErrIteratorDone) {
			return nil, nil, fmt.Errorf("vocabulary: %w", err)
		}
	}
	for w := range v.delta {
		counts[w] = v.Count(w)
	}
	nv, data, err := Build(counts)
	if err != nil {
		return nil, nil, err
	}
	nv.lev = v.lev
	return nv, data, nil
}

// Count is the number of posts using word.
func (v *Vocab) Count(word string) uint64 {
	var n int64
	if v.base != nil {
		c, _, _ := v.base.Get([]byte(word))
		n = int64(c)
	}
	return uint64(max(n+v.delta[word], 0))
}

// Prefix returns the words starting with prefix that some post uses,
// reading at most limit words of the base in byte order (and every
// changed word).
func (v *Vocab) Prefix(prefix string, limit int) ([]Entry, error) {
	var out []Entry
	if v.base != nil {
		it, err := v.base.Iterator([]byte(prefix), prefixEnd(prefix))
		out, err = v.collect(it, err, limit, nil)
		if err != nil {
			return nil, err
		}
	}
	i, _ := slices.BinarySearch(v.added, prefix)
	j := i
	for j < len(v.added) && strings.HasPrefix(v.added[j], prefix) {
		j++
	}
	return v.appendAdded(out, v.added[i:j], func(string) bool { return true }), nil
}

// Fuzzy returns the words within fuzziness edits (a transposition is one)
// of word that some post uses, word itself included, reading at most
// limit words of the base. Fuzziness is at most MaxFuzziness.
func (v *Vocab) Fuzzy(word string, fuzziness, limit int) ([]Entry, error) {
	if fuzziness < 1 || fuzziness > MaxFuzziness {
		return nil, fmt.Errorf("vocabulary: fuzziness %d is not between 1 and %d", fuzziness, MaxFuzziness)
	}
	lb, err := v.lev.builder(fuzziness)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	dfa, err := lb.BuildDfa(word, uint8(fuzziness))
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %q: %w", word, err)
	}
	var out []Entry
	if v.base != nil {
		it, err := v.base.Search(dfa, nil, nil)
		out, err = v.collect(it, err, limit, nil)
		if err != nil {
			return nil, err
		}
	}
	return v.appendAdded(out, v.added, func(w string) bool { ok, _ := dfa.MatchAndDistance(w); return ok }), nil
}

// collect reads up to limit base words from it, with their current counts.
func (v *Vocab) collect(it *vellum.FSTIterator, err error, limit int, out []Entry) ([]Entry, error) {
	for i := 0; err == nil && i < limit; i++ {
		k, n := it.Current()
		w := string(k)
		if c := int64(n) + v.delta[w]; c > 0 {
			out = append(out, Entry{w, uint64(c)})
		}
		err = it.Next()
	}
	if err != nil && !errors.Is(err, vellum.ErrIteratorDone) {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	return out, nil
}

// appendAdded appends those of words, new since the base, that match.
func (v *Vocab) appendAdded(out []Entry, words []string, match func(string) bool) []Entry {
	for _, w := range words {
		if match(w) {
			out = append(out, Entry{w, uint64(v.delta[w])})
		}
	}
	return out
}

// prefixEnd is the first key after every key starting with prefix; nil
// when there is none.
func prefixEnd(prefix string) []byte {
	end := []byte(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// Size is the encoded base's size in bytes.
func (v *Vocab) Size() int { return len(v.data) }
