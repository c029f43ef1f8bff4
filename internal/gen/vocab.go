package gen

import (
	"math"
	"strconv"
)

const (
	vocabSize = 200_000
	zipfS     = 1.1
)

// vocab is a Zipf-ranked vocabulary: words[r] has rank r+1, and cum holds
// the running sum of 1/rank^s for drawing by rank.
type vocab struct {
	words     []string
	cum       []float64
	titlePool []string
}

// buildVocab reproduces build_vocab of the reference generator exactly:
// function words first, then real content words every seventh rank among
// pronounceable pseudo-words (with English suffixes, so stemmers work).
func buildVocab(seed int64) *vocab {
	rng := newPyRand("vocab:" + strconv.FormatInt(seed, 10))
	seen := make(map[string]bool, vocabSize)
	var head, content []string
	for _, w := range functionWords {
		if !seen[w] {
			seen[w] = true
			head = append(head, w)
		}
	}
	for _, w := range contentWords {
		if !seen[w] {
			seen[w] = true
			content = append(content, w)
		}
	}
	pseudo := func() string {
		for {
			n := []int{1, 1, 2, 2, 2, 3}[rng.below(6)]
			w := ""
			for range n {
				w += rng.choice(sylOnset) + rng.choice(sylVowel) + rng.choice(sylCoda)
			}
			w += rng.choice(suffixes)
			if len(w) >= 3 && len(w) <= 13 && !seen[w] {
				seen[w] = true
				return w
			}
		}
	}
	words := append(make([]string, 0, vocabSize), head...)
	ci := 0
	for len(words) < vocabSize {
		if ci < len(content) && (len(words)-len(head))%7 == 0 {
			words = append(words, content[ci])
			ci++
		} else {
			words = append(words, pseudo())
		}
	}
	cum := make([]float64, vocabSize)
	sum := 0.0
	for r := range cum {
		sum += 1 / math.Pow(float64(r+1), zipfS)
		cum[r] = sum
	}
	return &vocab{words: words, cum: cum, titlePool: words[len(functionWords)/2 : 6000]}
}
