package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// openAPIDoc is the API's contract; a test checks real answers against it.
//
//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) apiOpenAPI(c *gin.Context) {
	sum := sha256.Sum256(openAPIDoc)
	if fresh(c, `"`+base64.RawURLEncoding.EncodeToString(sum[:15])+`"`) {
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDoc)
}

type apiTagsResponse struct {
	Total      int             `json:"total"`
	Tags       []apiFacetValue `json:"tags"`
	IndexBuild string          `json:"index_build"`
}

type apiAuthorsResponse struct {
	Total      int             `json:"total"`
	Authors    []apiFacetValue `json:"authors"`
	IndexBuild string          `json:"index_build"`
}

func (s *Server) apiTags(c *gin.Context)    { s.values(c, index.FacetTags) }
func (s *Server) apiAuthors(c *gin.Context) { s.values(c, index.FacetAuthors) }

// values lists every tag or author with its number of posts, most used
// first.
func (s *Server) values(c *gin.Context, facet string) {
	build := s.label()
	if fresh(c, etag(build, c.Request)) {
		return
	}
	counts, err := s.deps.Index.Values(c.Request.Context(), facet)
	if err != nil {
		s.fail(c, err)
		return
	}
	vs := make([]apiFacetValue, len(counts))
	for i, fc := range counts {
		vs[i] = apiFacetValue{fc.Value, fc.Count}
	}
	if facet == index.FacetTags {
		sendJSON(c, apiTagsResponse{Total: len(vs), Tags: vs, IndexBuild: build})
		return
	}
	sendJSON(c, apiAuthorsResponse{Total: len(vs), Authors: vs, IndexBuild: build})
}

type apiStats struct {
	Posts              uint64     `json:"posts"`
	IndexBuild         string     `json:"index_build"`
	BuiltAt            time.Time  `json:"built_at"`
	ContentFingerprint string     `json:"content_fingerprint"`
	IndexSizeBytes     int64      `json:"index_size_bytes"`
	MappingVersion     int        `json:"mapping_version"`
	RejectedPosts      int        `json:"rejected_posts"`
	FirstPost          *time.Time `json:"first_post"`
	LastPost           *time.Time `json:"last_post"`
}

// apiStats describes the serving build: what a researcher records next to
// the numbers they publish.
func (s *Server) apiStats(c *gin.Context) {
	if fresh(c, etag(s.label(), c.Request)) {
		return
	}
	st, err := s.deps.Index.Stats(c.Request.Context())
	if err != nil {
		s.fail(c, fmt.Errorf("stats: %w", err))
		return
	}
	out := apiStats{
		Posts: st.DocCount, IndexBuild: st.Label(), BuiltAt: st.BuiltAt, ContentFingerprint: st.Fingerprint,
		IndexSizeBytes: st.SizeBytes, MappingVersion: st.MappingVersion, RejectedPosts: st.Rejected,
	}
	if !st.First.IsZero() {
		out.FirstPost, out.LastPost = &st.First, &st.Last
	}
	sendJSON(c, out)
}
