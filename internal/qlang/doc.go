// Package qlang, the query language, reads the text a reader or
// researcher types into the search box. It knows nothing about the index: it turns text into a typed tree of
// words, phrases, field restrictions, date ranges and boolean operators,
// and reports malformed input with the character where it went wrong.
//
// Three modes decide how text is read. Plain treats every character as
// text (for pasting sentences). Advanced always applies the grammar. Auto,
// the default, applies the grammar only when the text uses an operator and
// otherwise reads it like plain text, so a reader never trips over syntax
// they did not mean to use.
//
// The grammar, loosest binding first:
//
//	query   = clause*                     side by side: ranked, all count
//	clause  = and ("OR" and)*
//	and     = unary ("AND" unary)*
//	unary   = ("NOT" | "-" | "+") unary | primary
//	primary = "(" query ")" | field ":" primary | '"' phrase '"' | word ["*"]
//	field   = title | tag | author | date
//
// Dates take 2018, 2018-09 or 2018-09-20, ranges 2018..2019 (either end may
// be left open) and comparisons >=2020-01-01, >2019, <2019, <=2019-06.
package qlang
