package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/post"
)

// hugoFigure is the src of Hugo's figure shortcode, which refs does not
// see: {{< figure src="chart.png" … >}}.
var hugoFigure = regexp.MustCompile(`\{\{[<%]\s*figure\b[^}]*?\bsrc\s*=\s*"([^"]+)"`)

// files reports each reference to an image, PDF or other media file that
// is neither beside the post nor in the site's static folders: the reader
// would see a broken image. It is a warning, since the post still reads.
func (c *checker) files(p *post.Post) {
	if c.opts.Media == nil {
		return
	}
	body := string(p.Body)
	all := refs(body)
	for i, line := range strings.Split(body, "\n") {
		for _, m := range hugoFigure.FindAllStringSubmatch(line, -1) {
			all = append(all, ref{line: i, target: m[1], image: true})
		}
	}
	seen := map[string]bool{}
	for _, r := range all {
		u, local := c.opts.Media.Resolve(p.File, r.target)
		key := fmt.Sprint(r.line, r.target)
		if !local || u != "" || seen[key] {
			continue
		}
		seen[key] = true
		c.add(Finding{File: p.File, Line: p.BodyLine + r.line, Severity: Warning, Code: "missing-file",
			Message: fmt.Sprintf("%s: no such file beside the post or in the site's static folders (%s)", r.target, strings.Join(media.StaticDirs, ", ")),
			Fix:     "add the file next to the post, or correct the path"})
	}
}
