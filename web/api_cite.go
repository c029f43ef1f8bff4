package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// citation is what every citation format says about a post.
type citation struct {
	Key      string // the slug: stable and unique in the archive
	Title    string
	Authors  []string
	Date     time.Time
	URL      string // absolute permalink
	Archive  string
	Accessed time.Time
}

// citeFormats maps `format` to its content type and writer.
var citeFormats = map[string]struct {
	contentType string
	write       func(citation) string
}{
	"bibtex":   {"application/x-bibtex; charset=utf-8", bibtex},
	"ris":      {"application/x-research-info-systems; charset=utf-8", ris},
	"csl-json": {"application/vnd.citationstyles.csl+json; charset=utf-8", cslJSON},
}

// apiCite answers a citation of one post in BibTeX (biblatex @online),
// CSL-JSON or RIS, with today's date as the accessed date.
func (s *Server) apiCite(c *gin.Context) {
	format := strings.ToLower(c.DefaultQuery("format", "bibtex"))
	cf, ok := citeFormats[format]
	if !ok {
		s.fail(c, badParam("format", fmt.Sprintf("unknown citation format %s; use bibtex, csl-json or ris", quote(format))))
		return
	}
	a, err := s.loadArticle(c.Request.Context(), c.Param("slug"))
	if errors.Is(err, index.ErrNotFound) {
		err = notFoundErr("no post with slug " + quote(c.Param("slug")))
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	if freshWith(c, s.cacheFor(cacheRevalidate), etag(s.label(), c.Request, a.Post.Hash, s.baseURL(c), today.Format(time.DateOnly))) {
		return
	}
	ct := citation{
		Key: a.Entry.Slug, Title: a.Post.Title, Authors: a.Post.Authors, Date: a.Post.Date,
		URL: s.absURL(c, postURL(a.Entry.Slug)), Archive: s.deps.Site.Title, Accessed: today,
	}
	c.Data(http.StatusOK, cf.contentType, []byte(cf.write(ct)))
}

// bibtexEscaper escapes the characters (La)TeX treats specially.
var bibtexEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, `{`, `\{`, `}`, `\}`, `%`, `\%`, `&`, `\&`, `$`, `\$`,
	`#`, `\#`, `_`, `\_`, `^`, `\^{}`, `~`, `\~{}`, "\n", " ", "\r", " ",
)

func bibtex(ct citation) string {
	var b strings.Builder
	authors := make([]string, len(ct.Authors))
	for i, a := range ct.Authors {
		authors[i] = bibtexEscaper.Replace(a)
		if corporateName(a) {
			// Braces make BibTeX take the whole as one name: "{The
			// libp2p Team}", not given names "The libp2p", family "Team".
			authors[i] = "{" + authors[i] + "}"
		}
	}
	fmt.Fprintf(&b, "@online{%s,\n", ct.Key)
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %-12s = {%s},\n", k, v)
		}
	}
	field("author", strings.Join(authors, " and "))
	field("title", "{"+bibtexEscaper.Replace(ct.Title)+"}") // double braces keep the title's capitals
	field("date", ct.Date.Format(time.DateOnly))
	field("year", ct.Date.Format("2006"))
	field("url", strings.NewReplacer("{", "%7B", "}", "%7D").Replace(ct.URL))
	field("urldate", ct.Accessed.Format(time.DateOnly))
	field("organization", bibtexEscaper.Replace(ct.Archive))
	b.WriteString("}\n")
	return b.String()
}

// ris writes the RIS tagged format, CRLF line ends, names as "Last, First".
func ris(ct citation) string {
	var b strings.Builder
	clean := strings.NewReplacer("\r", " ", "\n", " ")
	tag := func(t, v string) { fmt.Fprintf(&b, "%s  - %s\r\n", t, clean.Replace(v)) }
	tag("TY", "BLOG")
	tag("TI", ct.Title)
	for _, a := range ct.Authors {
		given, family := splitName(a)
		if given != "" {
			a = family + ", " + given
		}
		tag("AU", a)
	}
	tag("PY", ct.Date.Format("2006"))
	tag("DA", ct.Date.Format("2006/01/02/"))
	tag("T2", ct.Archive)
	tag("UR", ct.URL)
	tag("Y2", ct.Accessed.Format("2006/01/02/"))
	tag("ER", "")
	return b.String()
}

type cslName struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

type cslDate struct {
	DateParts [][]int `json:"date-parts"`
}

type cslItem struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	Title          string    `json:"title"`
	Author         []cslName `json:"author,omitempty"`
	Issued         cslDate   `json:"issued"`
	Accessed       cslDate   `json:"accessed"`
	URL            string    `json:"URL"`
	ContainerTitle string    `json:"container-title"`
}

func newCSLDate(t time.Time) cslDate {
	return cslDate{DateParts: [][]int{{t.Year(), int(t.Month()), t.Day()}}}
}

// cslJSON writes CSL-JSON: an array of one item, as citation managers
// import it.
func cslJSON(ct citation) string {
	item := cslItem{
		ID: ct.Key, Type: "post-weblog", Title: ct.Title, Issued: newCSLDate(ct.Date),
		Accessed: newCSLDate(ct.Accessed), URL: ct.URL, ContainerTitle: ct.Archive,
	}
	for _, a := range ct.Authors {
		given, family := splitName(a)
		if given == "" {
			item.Author = append(item.Author, cslName{Literal: a})
			continue
		}
		item.Author = append(item.Author, cslName{Family: family, Given: given})
	}
	return string(mustJSON([]cslItem{item}))
}

// splitName takes the last word as the family name; a one-word name or a
// corporate one (a team) has no given name.
func splitName(name string) (given, family string) {
	name = strings.TrimSpace(name)
	i := strings.LastIndexByte(name, ' ')
	if i < 0 || corporateName(name) {
		return "", name
	}
	return strings.TrimSpace(name[:i]), name[i+1:]
}

// corporateWords name a group rather than a person when they end a name
// ("The IPFS Team", "Protocol Labs") or begin it ("The …").
var corporateWords = map[string]bool{
	"team": true, "teams": true, "labs": true, "lab": true, "inc": true, "inc.": true, "ltd": true, "ltd.": true, "llc": true,
	"foundation": true, "project": true, "community": true, "group": true, "contributors": true, "maintainers": true,
	"authors": true, "editors": true, "staff": true, "blog": true, "developers": true,
	"organization": true, "organisation": true, "company": true, "corp": true, "corp.": true,
}

// nameParticles are lower-case words a person's name may hold
// ("Ludwig van Beethoven"); any other lower-case word ("libp2p") or a
// digit marks the name of a group or product.
var nameParticles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "da": true, "di": true, "del": true, "della": true,
	"du": true, "la": true, "le": true, "bin": true, "ibn": true, "al": true, "y": true, "dos": true, "das": true, "ter": true,
}

// corporateName reports an author that is a group, not a person: its
// parts must not be split into given and family names.
func corporateName(name string) bool {
	words := strings.Fields(name)
	if len(words) < 2 {
		return false
	}
	if strings.EqualFold(words[0], "the") {
		return true
	}
	for _, w := range words {
		lw := strings.ToLower(w)
		if corporateWords[lw] {
			return true
		}
		if strings.ContainsAny(w, "0123456789&") {
			return true
		}
		if r := []rune(w)[0]; unicode.IsLower(r) && !nameParticles[lw] {
			return true
		}
	}
	return false
}
