package web

import (
	"errors"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// relatedCount is how many related posts /posts/{slug}/related lists.
const relatedCount = 5

type apiRelatedResponse struct {
	Slug       string    `json:"slug"`
	Related    []hitView `json:"related"`
	IndexBuild string    `json:"index_build"`
}

// apiRelated lists the posts most similar to one post: shared tags and
// shared significant terms, best first.
func (s *Server) apiRelated(c *gin.Context) {
	slug := c.Param("slug")
	build := s.label()
	if fresh(c, etag(build, c.Request)) {
		return
	}
	hits, err := s.deps.Index.Related(c.Request.Context(), slug, relatedCount)
	if errors.Is(err, index.ErrNotFound) {
		err = notFoundErr("no post with slug " + quote(slug))
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	fields, _ := parseFields(nil, false)
	fields = append(fields, fieldIndex("score"))
	out := apiRelatedResponse{Slug: slug, Related: make([]hitView, 0, len(hits)), IndexBuild: build}
	for _, h := range hits {
		out.Related = append(out.Related, hitView{hit: newAPIHit(h), fields: fields})
	}
	sendJSON(c, out)
}

func fieldIndex(name string) int {
	for i, f := range hitFields {
		if f.name == name {
			return i
		}
	}
	panic("no hit field " + name)
}
