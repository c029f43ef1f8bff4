package schema

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveidx "github.com/blevesearch/bleve_index_api"
)

// MappingVersion changes whenever the mapping or an analyzer changes in a
// way that makes older builds unfit to serve; a build with another version
// is rebuilt rather than reused.
const MappingVersion = 11 // 11: title_key, for old addresses made from titles; Zola shortcodes and Hexo's post_link render; 10: a word glued to a link's end is a word of its own; 9: posts render their templates, site values and budgets; a leading title heading is not indexed

// Field names of the index documents.
const (
	FieldTitle      = "title"
	FieldBody       = "body"
	FieldBodyRef    = "body_ref"
	FieldTags       = "tags"
	FieldTagText    = "tag_text"
	FieldAuthors    = "authors"
	FieldAuthorKey  = "author_key"
	FieldAuthorText = "author_text"
	FieldDate       = "date"
	FieldSummary    = "summary"
	FieldFile       = "file"
	FieldHash       = "hash"
	FieldSlug       = "slug"
	FieldSections   = "sections" // not in bleve: a hit's field, read with its body
	FieldWords      = "words"
	FieldAliases    = "aliases"   // old URL paths of a post (AliasPath), for redirects
	FieldTitleKey   = "title_key" // post.TitleKey of the title, for old addresses made from it
)

const (
	AnalyzerText     = textAnalyzerName
	AnalyzerLowerKey = "lower_keyword"
)

// NewMapping returns the explicit mapping: English analysis with stemming
// for text, keywords for facets and filters, BM25 scoring, and no _all
// field (unfielded queries are built per field with boosts instead, which
// also saves a third of the index).
func NewMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = AnalyzerText
	m.ScoringModel = bleveidx.BM25Scoring
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	err := m.AddCustomAnalyzer(AnalyzerLowerKey, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []string{lowercase.Name},
	})
	if err != nil {
		return nil, err
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldTitle, textField(true))
	doc.AddFieldMappingsAt(FieldBody, textField(false)) // kept in the bodies file (bodies.go)
	doc.AddFieldMappingsAt(FieldTags, keywordField(keyword.Name, true), namedAs(textField(false), FieldTagText))
	doc.AddFieldMappingsAt(FieldAuthors,
		keywordField(keyword.Name, true),
		namedAs(keywordField(AnalyzerLowerKey, false), FieldAuthorKey),
		namedAs(textField(false), FieldAuthorText))
	date := bleve.NewDateTimeFieldMapping()
	date.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldDate, date)
	for _, f := range []string{FieldSummary, FieldBodyRef} {
		doc.AddFieldMappingsAt(f, storedOnly())
	}
	// file and hash keep doc values so a sync reads every post's state
	// from the column store instead of loading each stored document. The
	// slug is there for the same reason: bleve keeps a post's id with its
	// stored fields, so reading every id touched every stored document
	// (at 100,000 posts the start-up sync mapped 800 MB of the index).
	// They are not stored as well: nothing needs them with a hit, and at
	// 10,000 posts the copies were 1% of the index.
	for _, f := range []string{FieldFile, FieldHash, FieldSlug} {
		col := keywordField(keyword.Name, false)
		col.DocValues = true
		doc.AddFieldMappingsAt(f, col)
	}
	// Aliases are only looked up, never shown or scored: an exact,
	// case-kept term each, neither stored nor in doc values.
	doc.AddFieldMappingsAt(FieldAliases, keywordField(keyword.Name, false))
	doc.AddFieldMappingsAt(FieldTitleKey, keywordField(keyword.Name, false))

	words := bleve.NewNumericFieldMapping()
	words.Index = false
	words.DocValues = false
	words.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldWords, words)

	m.DefaultMapping = doc
	return m, nil
}

// textField is English full text. Stored text and term vectors are what
// snippets and phrase queries are made from.
func textField(store bool) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = AnalyzerText
	f.Store = store
	f.IncludeTermVectors = true
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func keywordField(analyzer string, store bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Analyzer = analyzer
	f.Store = store
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = store
	return f
}

func storedOnly() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Index = false
	f.Store = true
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func namedAs(f *mapping.FieldMapping, name string) *mapping.FieldMapping {
	f.Name = name
	return f
}
