// Package schema is what an index document is made of, as bleve sees it:
// the field names, the mapping (which fields are text, keywords, stored
// or not indexed), the English analyzer with its fast word tokenizer and
// cached stemmer, and MappingVersion, which changes whenever any of these
// does so an older build is rebuilt rather than served. The stored forms
// that both writing and reading must agree on are here too: a post's
// sections, its record in the bodies file, and the indexed form of its
// old URLs (AliasPath).
package schema
