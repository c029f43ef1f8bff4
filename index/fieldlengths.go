package index

import (
	bdoc "github.com/blevesearch/bleve/v2/document"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/schema"
)

// The ranking needs each scored field's mean length in tokens, which bleve
// does not keep. Adding up every posting of a finished build costs half a
// second for 600 posts, so a build reads each document's token counts
// from bleve's own analysis of it, once the batch holding it is written,
// and records the means in its manifest (Manifest.FieldLengths). Counting
// with a second analyzer cost 6% of the build's CPU and could disagree
// with the index (possessives are cut before stop words are dropped).

// lengths are a document's token counts per scored field, in the order
// of scoredFields.
type lengths [len(scoredFields)]int

var scoredFields = [...]string{schema.FieldTitle, schema.FieldBody, schema.FieldTagText, schema.FieldAuthorText}

// analyzedLengths reads the token counts of an analysed document (one
// whose batch bleve has written); a field given several values (tags)
// counts them all.
func analyzedLengths(d *bdoc.Document) lengths {
	var l lengths
	d.VisitFields(func(f bleveidx.Field) {
		for i, name := range scoredFields {
			if f.Name() == name {
				l[i] += f.AnalyzedLength()
			}
		}
	})
	return l
}

// lengthTotals adds up the documents of a build.
type lengthTotals struct {
	sum  lengths
	docs int
}

func (t *lengthTotals) add(l lengths) {
	t.docs++
	for i, n := range l {
		t.sum[i] += n
	}
}

// means are the mean lengths by field name, nil for an empty build.
func (t *lengthTotals) means() map[string]float64 {
	if t.docs == 0 {
		return nil
	}
	out := make(map[string]float64, len(scoredFields))
	for i, f := range scoredFields {
		out[f] = float64(t.sum[i]) / float64(t.docs)
	}
	return out
}
