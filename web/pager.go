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
	last := int((total + uint64(perPage) - 1) / uint64(perPage))
	last = min(last, index.MaxWindow/perPage)
	p := pager{Page: page, Last: last, First: (page-1)*perPage + 1}
	link := func(n int) string {
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
