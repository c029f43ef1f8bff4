package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded file served under a name that carries its hash,
// so it can be cached for a year and still change on the next release.
type asset struct {
	body        []byte
	contentType string
}

type assets struct {
	byURL  map[string]*asset // "style.3f2a1b9c.css" -> asset
	urlFor map[string]string // "style.css" -> "/static/style.3f2a1b9c.css"
}

func newAssets(codeCSS []byte) (*assets, error) {
	a := &assets{byURL: map[string]*asset{}, urlFor: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		a.add(path.Base(p), b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("embedded assets: %w", err)
	}
	a.add("code.css", codeCSS)
	return a, nil
}

func (a *assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = "application/octet-stream"
	}
	a.byURL[hashed] = &asset{body: body, contentType: ct}
	a.urlFor[name] = "/static/" + hashed
}

// url is the template function that names an asset by its fingerprinted URL.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urlFor[name]
	if !ok {
		return "", fmt.Errorf("no embedded asset %q", name)
	}
	return u, nil
}

func (s *Server) static(c *gin.Context) {
	a, ok := s.assets.byURL[c.Param("name")]
	if !ok {
		s.fail(c, notFoundErr("no such file"))
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, a.contentType, a.body)
}
