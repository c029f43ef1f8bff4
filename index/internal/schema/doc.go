// Package schema is what an index document is made of, as bleve sees it:
// the field names, the mapping (which fields are text, keywords, stored
// or not indexed), the English analyzer with its fast word tokenizer and
// cached stemmer, and MappingVersion, which changes whenever any of these
// does so an older build is rebuilt rather than served.
package schema
