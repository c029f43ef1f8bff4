package main

import (
	"log/slog"

	"github.com/blust/archive/internal/site"
)

// loadSite reads the archive's identity from the content folder's
// site.yaml and its generator's config (see internal/site), and says on
// start where it came from. It also returns the site root, "" if none.
func loadSite(content string, log *slog.Logger) (site.Site, string, error) {
	s, root, err := site.Load(content)
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
