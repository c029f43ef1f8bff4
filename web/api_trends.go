package web

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

type apiTrendsResponse struct {
	Interval   string           `json:"interval"`
	Series     []apiTrendSeries `json:"series"`
	IndexBuild string           `json:"index_build"`
}

type apiTrendSeries struct {
	Q      string          `json:"q"`
	Total  uint64          `json:"total"`
	Points []apiTrendPoint `json:"points"`
}

type apiTrendPoint struct {
	Period  string    `json:"period"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Matches int       `json:"matches"`
	Total   int       `json:"total"`
	Share   float64   `json:"share"`
}

// apiTrends counts, period by period, the posts matching each q and all
// posts, ready to plot a topic's share of the archive over time.
func (s *Server) apiTrends(c *gin.Context) {
	tr, err := parseTrends(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if fresh(c, etag(s.label(), c.Request)) {
		return
	}
	res, err := s.deps.Index.Trends(c.Request.Context(), tr)
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredBy(c, res.BuildID)
	out := apiTrendsResponse{Interval: string(res.Interval), Series: []apiTrendSeries{}, IndexBuild: res.BuildID}
	for _, se := range res.Series {
		as := apiTrendSeries{Q: se.Query, Total: se.Total, Points: []apiTrendPoint{}}
		for _, p := range se.Points {
			share := 0.0
			if p.Total > 0 {
				share = float64(p.Matches) / float64(p.Total)
			}
			as.Points = append(as.Points, apiTrendPoint{p.Period, p.Start, p.End, p.Matches, p.Total, share})
		}
		out.Series = append(out.Series, as)
	}
	sendJSON(c, out)
}

func parseTrends(c *gin.Context) (index.TrendRequest, error) {
	tr := index.TrendRequest{Interval: index.Interval(strings.ToLower(c.DefaultQuery("interval", string(index.IntervalYear))))}
	for _, q := range c.QueryArray("q") {
		q = strings.TrimSpace(q)
		if utf8.RuneCountInString(q) > MaxQueryLength {
			return tr, badParam("q", fmt.Sprintf("a query is longer than %d characters", MaxQueryLength))
		}
		tr.Queries = append(tr.Queries, q)
	}
	var err error
	if tr.From, err = dateParam("from", strings.TrimSpace(c.Query("from"))); err != nil {
		return tr, err
	}
	tr.To, err = dateParam("to", strings.TrimSpace(c.Query("to")))
	return tr, err
}
