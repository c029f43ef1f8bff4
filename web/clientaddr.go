package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds the walk through X-Forwarded-For: a client may
// send thousands of entries, and no real chain of proxies is this long.
// A walk that reaches it stops at the last trusted hop it saw.
const maxForwardedHops = 16

// clientAddr is the address of the client a request came from, for the
// log lines. It is the direct peer's address, unless the peer is one of
// the trusted proxies: then X-Forwarded-For is read from right to left
// (each proxy appends the address it got the request from), skipping
// trusted hops, and the first hop that is not trusted is the client.
// Entries left of it were written by the client and may be anything, so
// they are never read. A malformed entry ends the walk at the last good
// address. Every header line counts, in order: a proxy such as HAProxy
// adds its own line after one the client sent.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		// Not an IP connection (a test's pipe, a Unix socket): nothing to
		// walk, and the value comes from the server, not the client.
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	lines := r.Header.Values("X-Forwarded-For")
	hops := 0
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for line != "" {
			var item string
			if j := strings.LastIndexByte(line, ','); j >= 0 {
				item, line = line[j+1:], line[:j]
			} else {
				item, line = line, ""
			}
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			hop, ok := parseHop(item)
			if !ok {
				return addr.String()
			}
			addr = hop
			if !isTrusted(hop, trusted) {
				return addr.String()
			}
			if hops++; hops >= maxForwardedHops {
				return addr.String()
			}
		}
	}
	// Every hop was a trusted proxy: the request began inside them.
	return addr.String()
}

// parseHop reads one X-Forwarded-For entry: an address, or one with a
// port ("192.0.2.7:5123", "[2001:db8::7]:443"), as some proxies write.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.WithZone("")
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of CIDRs
// ("10.0.0.0/8, 2001:db8::/32"); a bare address is a prefix of one
// address. An empty list trusts no proxy. The error quotes the entry.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, &badProxyError{item: item}
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// maxQuotedProxy bounds the bad entry an error message quotes.
const maxQuotedProxy = 64

type badProxyError struct{ item string }

func (e *badProxyError) Error() string {
	item := e.item
	if len(item) > maxQuotedProxy {
		item = item[:maxQuotedProxy] + "…"
	}
	return fmt.Sprintf("%q is not a CIDR like 10.0.0.0/8 or 2001:db8::/32, nor an address like 10.0.0.1", item)
}
