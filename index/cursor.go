package index

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/schema"
)

// cursorVersion changes whenever the cursor's contents change meaning;
// cursors of another version are refused rather than misread.
const cursorVersion = 1

// maxCursorSeen bounds a cursor's hit count, far above any archive's
// posts: a forged count near the largest int overflowed export ranks.
const maxCursorSeen = 1 << 31

// cursor is the position after the last hit of a page. It travels as
// base64url JSON, opaque to clients, and is only valid for the build and
// the query and order it was made for: sort values from another build or
// another query would silently skip or repeat hits.
type cursor struct {
	V     int      `json:"v"`
	Build string   `json:"b"`
	Sig   string   `json:"s"` // querySignature of the query and order
	After []string `json:"a"` // search_after values of the last hit returned
	Seen  int      `json:"n"` // hits returned before the next page
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // strings and ints only: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor and checks that it belongs to this build,
// query and order; every failure is a RequestError naming "cursor".
func decodeCursor(s, build, sig string, order search.SortOrder) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return c, &RequestError{"cursor", "is not a cursor from this API; pass next_cursor from a previous response unchanged"}
	}
	switch {
	case c.V != cursorVersion:
		return c, &RequestError{"cursor", fmt.Sprintf("was made by another version of the API (v%d); start again without a cursor", c.V)}
	case c.Build != build:
		return c, &RequestError{"cursor", fmt.Sprintf("belongs to index build %s, but the archive now serves build %s; start again without a cursor", c.Build, build)}
	case c.Sig != sig:
		return c, &RequestError{"cursor", "belongs to another query, filter or sort; send the same parameters as the request that returned it"}
	case len(c.After) != len(order) || c.Seen < 0 || c.Seen > maxCursorSeen || !afterValuesParse(order, c.After):
		return c, &RequestError{"cursor", "is damaged; pass next_cursor from a previous response unchanged"}
	}
	return c, nil
}

// afterValuesParse checks the values bleve would otherwise reject with an
// error of its own, which would look like a fault of ours.
func afterValuesParse(order search.SortOrder, after []string) bool {
	for i, so := range order {
		var err error
		switch so := so.(type) {
		case *search.SortScore:
			_, err = strconv.ParseFloat(after[i], 64)
		case *search.SortField:
			if so.Type == search.SortFieldAsDate {
				_, err = time.Parse(time.RFC3339Nano, after[i])
			}
		}
		if err != nil {
			return false
		}
	}
	return true
}

// querySignature identifies which hits a request selects and in what
// order. It hashes the bleve query itself, so anything that changes the
// query (text, filters, modes added later) changes the signature.
func querySignature(q bq.Query, s Sort) (string, error) {
	b, err := json.Marshal(q)
	if err != nil {
		return "", fmt.Errorf("query signature: %w", err)
	}
	h := sha256.New()
	h.Write(b)
	h.Write([]byte{0})
	h.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12]), nil
}

// sortOrder is the order of each Sort, always ending in the post's slug
// (its document id) so that ties are broken the same way on every page.
// The slug is read from its doc values, not as bleve's _id: that one is
// kept with the stored document, so a date order over thousands of
// matches read a page of the stored documents per match. The date is
// typed, so search_after takes RFC 3339 values (see afterValues).
func sortOrder(s Sort) search.SortOrder {
	date := func(desc bool) search.SearchSort {
		return &search.SortField{Field: schema.FieldDate, Type: search.SortFieldAsDate, Desc: desc}
	}
	switch s {
	case SortNewest:
		return search.SortOrder{date(true), bySlug()}
	case SortOldest:
		return search.SortOrder{date(false), bySlug()}
	default:
		return search.SortOrder{&search.SortScore{Desc: true}, date(true), bySlug()}
	}
}

// bySlug orders posts by slug, ascending, as bleve's _id sort does.
func bySlug() *search.SortField {
	return &search.SortField{Field: schema.FieldSlug, Type: search.SortFieldAsString}
}

// afterValues are the search_after values that resume after hit. bleve's
// raw Sort values do not round-trip: a typed date sort holds prefix-coded
// bytes (its decoded form is what search_after parses) and a score sort
// holds the literal "_score".
func afterValues(order search.SortOrder, hit *search.DocumentMatch) []string {
	out := make([]string, len(order))
	for i, so := range order {
		switch so.(type) {
		case *search.SortScore:
			out[i] = strconv.FormatFloat(hit.Score, 'g', -1, 64)
		case *search.SortDocID:
			out[i] = hit.ID
		default:
			if i < len(hit.DecodedSort) {
				out[i] = hit.DecodedSort[i]
			}
		}
	}
	return out
}
