package index

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// The ranking needs each scored field's mean length in tokens, which bleve
// does not keep. Adding up every posting of a finished build costs half a
// second for 600 posts, so a build counts the tokens as it writes them and
// records the means in its manifest (Manifest.FieldLengths).

// lengths are a document's token counts per scored field, in the order
// of defaultFields.
type lengths [4]int

// lengthCounter counts tokens as the text analyzer keeps them: its
// tokenizer and stop words, without the stemming that does not change the
// count.
type lengthCounter struct {
	an analysis.Analyzer
}

// newLengthCounter returns nil if the analyzer cannot be made, which only
// costs the first search the slow count.
func newLengthCounter() *lengthCounter {
	an, err := registry.NewCache().DefineAnalyzer("count", map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, en.StopName},
	})
	if err != nil {
		return nil
	}
	return &lengthCounter{an: an}
}

func (c *lengthCounter) count(d *document) lengths {
	if c == nil {
		return lengths{}
	}
	var l lengths
	l[0] = len(c.an.Analyze([]byte(d.Title)))
	l[1] = len(c.an.Analyze([]byte(d.Body)))
	for _, t := range d.Tags {
		l[2] += len(c.an.Analyze([]byte(t)))
	}
	for _, a := range d.Authors {
		l[3] += len(c.an.Analyze([]byte(a)))
	}
	return l
}

// lengthTotals adds up the documents of a build.
type lengthTotals struct {
	sum  lengths
	docs int
	ok   bool // every document was counted
}

func (t *lengthTotals) add(l lengths, counted bool) {
	if t.docs == 0 {
		t.ok = true
	}
	t.docs++
	t.ok = t.ok && counted
	for i, n := range l {
		t.sum[i] += n
	}
}

// means are the mean lengths by field name, nil unless every document
// was counted.
func (t *lengthTotals) means() map[string]float64 {
	if !t.ok || t.docs == 0 {
		return nil
	}
	out := make(map[string]float64, len(defaultFields))
	for i, f := range defaultFields {
		out[f] = float64(t.sum[i]) / float64(t.docs)
	}
	return out
}
