package web

import (
	"fmt"
	"net/url"
	"sort"

	"github.com/gin-gonic/gin"
)

// Caps on the query string itself, before any handler reads it. A
// parameter's every value can end up in each link a page makes (the
// search page keeps its state in its links), so what a URL may carry
// bounds what a page can grow to.
const (
	// MaxRepeatedParam is how many times one parameter may be given
	// (tag=a&tag=b…): no page or API answer needs more.
	MaxRepeatedParam = 20
	// MaxParams is how many parameters one request may carry in all.
	MaxParams = 100
	// MaxFilterLength is the longest tag or author filter, in characters.
	MaxFilterLength = 200
)

// Limit names the web layer adds to the index's (see errors.go's Limit).
const (
	limitRepeat     = "repeat"
	limitParamCount = "params"
)

// limitParams refuses a query string with a parameter repeated past
// MaxRepeatedParam or more than MaxParams parameters, with a 400 naming
// the parameter, before any handler builds anything from it.
func (s *Server) limitParams() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkParamCounts(c.Request.URL.Query()); err != nil {
			s.fail(c, err)
			return
		}
		c.Next()
	}
}

func checkParamCounts(v url.Values) error {
	total := 0
	keys := make([]string, 0, len(v))
	for k, vs := range v {
		total += len(vs)
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same parameter is named whatever the map's order
	for _, k := range keys {
		if n := len(v[k]); n > MaxRepeatedParam {
			return limitErr(limitRepeat, k, fmt.Sprintf("%s is given %d times; at most %d are allowed", quote(k), n, MaxRepeatedParam))
		}
	}
	if total > MaxParams {
		return limitErr(limitParamCount, "", fmt.Sprintf("the address has %d parameters; at most %d are allowed", total, MaxParams))
	}
	return nil
}
