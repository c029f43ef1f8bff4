package fieldstats

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

// Lengths are a document's token counts per scored field, in the order
// of Fields.
type Lengths [len(Fields)]int

// Fields are the scored fields, whose lengths BM25F normalises by.
var Fields = [...]string{schema.FieldTitle, schema.FieldBody, schema.FieldTagText, schema.FieldAuthorText}

// Of reads the token counts of an analysed document (one
// whose batch bleve has written); a field given several values (tags)
// counts them all.
func Of(d *bdoc.Document) Lengths {
	var l Lengths
	d.VisitFields(func(f bleveidx.Field) {
		for i, name := range Fields {
			if f.Name() == name {
				l[i] += f.AnalyzedLength()
			}
		}
	})
	return l
}

// Totals adds up the documents of a build.
type Totals struct {
	sum  Lengths
	docs int
}

func (t *Totals) Add(l Lengths) {
	t.docs++
	for i, n := range l {
		t.sum[i] += n
	}
}

// Means are the mean lengths by field name, nil for an empty build.
func (t *Totals) Means() map[string]float64 {
	if t.docs == 0 {
		return nil
	}
	out := make(map[string]float64, len(Fields))
	for i, f := range Fields {
		out[f] = float64(t.sum[i]) / float64(t.docs)
	}
	return out
}
