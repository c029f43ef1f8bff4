package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/blust/archive/internal/check"
	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/site"
)

// loadSite reads the archive's identity from the content folder's
// site.yaml and its generator's config (see internal/site), and says on
// start where it came from. root is the site root when the caller knows
// it, "" to look for one above the content folder. It also returns the
// site root it used, "" if none.
func loadSite(content, root string, log *slog.Logger) (site.Site, string, error) {
	s, root, err := readSite(content, root)
	if err != nil {
		return site.Site{}, "", err
	}
	for _, w := range s.Warnings {
		log.Warn("site config", "problem", w)
	}
	if len(s.Sources) == 0 {
		log.Info("no site.yaml or generator config: the archive is titled "+site.DefaultTitle, "content", content)
	} else {
		log.Info("site identity", "title", s.Title, "from", s.Sources)
	}
	return s, root, nil
}

// readSite reads the identity of content's site, whose root is root when
// the caller knows it and looked for above content when root is "".
func readSite(content, root string) (site.Site, string, error) {
	if root == "" {
		return site.Load(content)
	}
	return site.LoadFrom(content, root)
}

// mediaLibrary opens the files the archive serves beside the posts: the
// content folder and, when it sits inside a site root, that root's static
// folders. Both are opened as os.Root, so no name (nor a symlink) can lead
// out of them. close releases them.
func mediaLibrary(content, root string) (lib *media.Library, close func(), err error) {
	cr, err := os.OpenRoot(content)
	if err != nil {
		return nil, nil, fmt.Errorf("content folder %s: %w", content, err)
	}
	abs, err := filepath.Abs(content)
	if err != nil || root == "" || root == abs {
		return media.New(cr.FS(), nil, ""), func() { cr.Close() }, nil
	}
	under, err := filepath.Rel(root, abs)
	if err != nil {
		return media.New(cr.FS(), nil, ""), func() { cr.Close() }, nil
	}
	sr, err := os.OpenRoot(root)
	if err != nil {
		cr.Close()
		return nil, nil, fmt.Errorf("site root %s: %w", root, err)
	}
	return media.New(cr.FS(), sr.FS(), filepath.ToSlash(under)), func() { cr.Close(); sr.Close() }, nil
}

// siteFinding turns a broken site.yaml into a check finding; the file is
// named relative to the content folder (../site.yaml for the site root's),
// since findings are printed with the folder in front.
func siteFinding(content string, err error) *check.Finding {
	if err == nil {
		return nil
	}
	f := &check.Finding{Severity: check.Error, Code: "site", Message: err.Error(), Fix: "see " + site.File + " in the README"}
	var se *site.Error
	if errors.As(err, &se) {
		f.Line, f.Message = se.Line, se.Msg
		f.File = se.File
		if rel, rerr := filepath.Rel(content, se.File); rerr == nil {
			f.File = filepath.ToSlash(rel)
		}
	}
	return f
}
