// Package snapshot reads the scorch snapshot a search ran on by the hits'
// internal ids: the document numbers those ids encode (which facets,
// trends, exports and the ranking's match lists keep), and the hits'
// stored fields. A snapshot held past its search (Held) keeps those
// numbers valid. It imports bleve alone.
package snapshot
