package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/qlang"
)

// MaxQueryLength is the longest query text accepted, in characters.
const MaxQueryLength = 1000

// defaultPerPage is the number of hits on a page unless per_page says.
const defaultPerPage = 10

// searchParams is a search as the URL states it; both the HTML page and
// the JSON API read it the same way.
type searchParams struct {
	Query     string
	Mode      string // auto (default), advanced or plain
	Literal   bool   // correct=false: run the words as typed
	Tags      []string
	Author    string
	From, To  string
	Sort      string
	Page      int
	PerPage   int
	Highlight bool
}

func parseSearch(c *gin.Context) (searchParams, index.Request, error) {
	p := searchParams{
		Query:  strings.TrimSpace(c.Query("q")),
		Tags:   nonEmpty(c.QueryArray("tag")),
		Author: strings.TrimSpace(c.Query("author")),
		From:   strings.TrimSpace(c.Query("from")),
		To:     strings.TrimSpace(c.Query("to")),
		Sort:   c.DefaultQuery("sort", string(index.SortRelevance)),
	}
	var err error
	if utf8.RuneCountInString(p.Query) > MaxQueryLength {
		return p, index.Request{}, limitErr(index.LimitLength, "q", fmt.Sprintf("the query is longer than %d characters", MaxQueryLength))
	}
	if err := checkFilterLengths(p); err != nil {
		return p, index.Request{}, err
	}
	mode, err := qlang.ParseMode(strings.TrimSpace(c.Query("mode")))
	if err != nil {
		return p, index.Request{}, badParam("mode", err.Error())
	}
	p.Mode = string(mode)
	correct, err := boolParam(c, "correct", true)
	if err != nil {
		return p, index.Request{}, err
	}
	p.Literal = !correct
	if p.Page, err = intParam(c, "page", 1, 1, index.MaxWindow); err != nil {
		return p, index.Request{}, overLimit(err, c, "page", index.MaxWindow, index.LimitDeepPaging)
	}
	if p.PerPage, err = intParam(c, "per_page", defaultPerPage, 1, index.MaxPerPage); err != nil {
		return p, index.Request{}, overLimit(err, c, "per_page", index.MaxPerPage, index.LimitPerPage)
	}
	if p.Highlight, err = boolParam(c, "highlight", true); err != nil {
		return p, index.Request{}, err
	}
	req := index.Request{
		Query:   p.Query,
		Mode:    mode,
		Literal: p.Literal,
		Tags:    p.Tags,
		Author:  p.Author,
		Sort:    browseOrder(p),
		Offset:  (p.Page - 1) * p.PerPage,
		Size:    p.PerPage,
	}
	if req.From, err = dateParam("from", p.From); err != nil {
		return p, req, err
	}
	if req.To, err = dateParam("to", p.To); err != nil {
		return p, req, err
	}
	if p.Highlight {
		req.Fragments = 3
	}
	return p, req, nil
}

// browseOrder is the order asked of the index. Without words every post
// is equally relevant, and the page says so by offering Newest as the
// current order: a filter alone (a tag, an author, dates) lists newest
// first, not by how often a post repeats its tag.
func browseOrder(p searchParams) index.Sort {
	if p.Query == "" && (p.Sort == "" || p.Sort == string(index.SortRelevance)) {
		return index.SortNewest
	}
	return index.Sort(p.Sort)
}

func intParam(c *gin.Context, name string, def, lo, hi int) (int, error) {
	v, ok := c.GetQuery(name)
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badParam(name, fmt.Sprintf("%s must be a whole number, not %q", name, v))
	}
	if n < lo || n > hi {
		return 0, badParam(name, fmt.Sprintf("%s must be between %d and %d", name, lo, hi))
	}
	return n, nil
}

func boolParam(c *gin.Context, name string, def bool) (bool, error) {
	v, ok := c.GetQuery(name)
	if !ok || v == "" {
		return def, nil
	}
	switch strings.ToLower(v) {
	case "1", "true", "on", "yes":
		return true, nil
	case "0", "false", "off", "no":
		return false, nil
	}
	return false, badParam(name, fmt.Sprintf("%s must be true or false, not %q", name, v))
}

// dateParam accepts a day (2018-09-20), a month (2018-09) or a year (2018).
func dateParam(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			if name == "to" && layout != "2006-01-02" {
				t = endOfPeriod(t, layout)
			}
			return t, nil
		}
	}
	return time.Time{}, badParam(name, fmt.Sprintf("%s must be a date like 2018-09-20, not %q", name, v))
}

// endOfPeriod makes to=2018 mean the last day of 2018, not its first.
func endOfPeriod(t time.Time, layout string) time.Time {
	if layout == "2006" {
		return t.AddDate(1, 0, -1)
	}
	return t.AddDate(0, 1, -1)
}

// checkFilterLengths bounds each tag and author filter: every link of
// the search page repeats them.
func checkFilterLengths(p searchParams) error {
	long := func(v string) bool { return utf8.RuneCountInString(v) > MaxFilterLength }
	for _, t := range p.Tags {
		if long(t) {
			return limitErr(index.LimitLength, "tag", fmt.Sprintf("a tag is longer than %d characters", MaxFilterLength))
		}
	}
	if long(p.Author) {
		return limitErr(index.LimitLength, "author", fmt.Sprintf("the author is longer than %d characters", MaxFilterLength))
	}
	return nil
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// limitErr is a 400 for a request over one of the documented limits.
func limitErr(limit, param, msg string) *apiError {
	ae := badParam(param, msg)
	ae.Limit = limit
	return ae
}

// overLimit tags intParam's error with the limit when the number was too
// big (rather than not a number or too small).
func overLimit(err error, c *gin.Context, name string, hi int, limit string) error {
	if n, perr := strconv.Atoi(c.Query(name)); perr == nil && n > hi {
		return limitErr(limit, name, err.Error())
	}
	return err
}
