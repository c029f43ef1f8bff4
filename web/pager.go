package web

import (
	"fmt"
	"net/url"

	"github.com/blust/archive/index"
)

// pager links to the other pages of the same listing: previous, next and a
// window of numbered pages around the current one, with the first and last.
type pager struct {
	Page, Last int
	First      int // the rank of the page's first hit
	Prev, Next string
	Numbers    []pageLink
}

// pageLink is one numbered page; a Gap stands for the pages left out.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// pagerWindow is how many pages either side of the current one get a number.
const pagerWindow = 2

// newPager pages through total hits; base is the listing's path and v its
// parameters, to which page=N is added.
func newPager(base string, v url.Values, page, perPage int, total uint64) pager {
	last := lastPage(total, perPage)
	p := pager{Page: page, Last: last, First: (page-1)*perPage + 1}
	link := func(n int) string { return pageURL(base, v, n) }
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < last {
		p.Next = link(page + 1)
	}
	if last <= 1 {
		return p
	}
	for n := 1; n <= last; n++ {
		near := n >= page-pagerWindow && n <= page+pagerWindow
		if n == 1 || n == last || near {
			p.Numbers = append(p.Numbers, pageLink{N: n, URL: link(n), Current: n == page})
		} else if len(p.Numbers) > 0 && !p.Numbers[len(p.Numbers)-1].Gap {
			p.Numbers = append(p.Numbers, pageLink{Gap: true})
		}
	}
	return p
}

// countPosts says how many posts, in the singular for one: "1 post",
// "2 posts".
func countPosts(n uint64) string {
	if n == 1 {
		return "1 post"
	}
	return fmt.Sprintf("%d posts", n)
}

// templatePosts is countPosts for templates, whose counts are totals
// (uint64) or facet counts (int).
func templatePosts(n any) (string, error) {
	switch n := n.(type) {
	case uint64:
		return countPosts(n), nil
	case int:
		if n >= 0 {
			return countPosts(uint64(n)), nil
		}
	}
	return "", fmt.Errorf("posts: want a count, got %v (%T)", n, n)
}

// lastPage is the number of the last page of total hits that a reader can
// reach (deep pages past index.MaxWindow are not served).
func lastPage(total uint64, perPage int) int {
	last := int((total + uint64(perPage) - 1) / uint64(perPage))
	return min(last, index.MaxWindow/perPage)
}

// pageURL is page n of the listing at base with parameters v; page 1 has
// no page parameter.
func pageURL(base string, v url.Values, n int) string {
	w := cloneValues(v)
	w.Del("page")
	if n > 1 {
		w.Set("page", fmt.Sprint(n))
	}
	if e := w.Encode(); e != "" {
		return base + "?" + e
	}
	return base
}

// pastTheEnd is the answer to a page number after a listing's last page:
// a 404 naming the page parameter, whose HTML page links to the last page
// (lastURL; "" for the API, which says the number). A listing with no
// hits at all has one, empty, page.
func pastTheEnd(page int, total uint64, perPage int, lastURL func(n int) string) *apiError {
	last := max(lastPage(total, perPage), 1)
	if page <= last {
		return nil
	}
	ae := notFoundErr(fmt.Sprintf("There is no page %d: the last page is %d.", page, last))
	ae.Param = "page"
	if lastURL != nil {
		ae.LinkURL, ae.LinkText = lastURL(last), fmt.Sprintf("Go to the last page (%d)", last)
	}
	return ae
}
