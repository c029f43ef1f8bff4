package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.1, 2001:db8:aaaa::/48")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		peer    string
		xff     []string // one element per header line
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies trusted: the peer, whatever XFF says", "203.0.113.9:5000", []string{"198.51.100.1"}, nil, "203.0.113.9"},
		{"untrusted peer: its XFF is ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, trusted, "203.0.113.9"},
		{"trusted peer without XFF: the peer", "10.1.2.3:5000", nil, trusted, "10.1.2.3"},
		{"trusted peer: the client it names", "10.1.2.3:5000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"a single trusted address", "192.168.1.1:5000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"the address beside a trusted one is not trusted", "192.168.1.2:5000", []string{"198.51.100.1"}, trusted, "192.168.1.2"},
		{"spoofed entries left of the client are not read", "10.1.2.3:5000", []string{"6.6.6.6, 10.9.9.9, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"multiple trusted hops are skipped", "10.1.2.3:5000", []string{"198.51.100.1, 10.0.0.7, 10.0.0.8"}, trusted, "198.51.100.1"},
		{"the first untrusted hop from the right wins", "10.1.2.3:5000", []string{"198.51.100.1, 203.0.113.50, 10.0.0.8"}, trusted, "203.0.113.50"},
		{"a spoofed line before the proxy's own line", "10.1.2.3:5000", []string{"10.0.0.1", "198.51.100.1"}, trusted, "198.51.100.1"},
		{"lines are read in order, last first", "10.1.2.3:5000", []string{"198.51.100.1", "10.0.0.9"}, trusted, "198.51.100.1"},
		{"every hop trusted: the leftmost", "10.1.2.3:5000", []string{"10.0.0.5, 10.0.0.6"}, trusted, "10.0.0.5"},
		{"a malformed entry stops at the last good address", "10.1.2.3:5000", []string{"198.51.100.1, not-an-ip, 10.0.0.8"}, trusted, "10.0.0.8"},
		{"an injected log field is never logged", "10.1.2.3:5000", []string{"x\" status=200"}, trusted, "10.1.2.3"},
		{"empty entries are skipped", "10.1.2.3:5000", []string{"198.51.100.1,, ,"}, trusted, "198.51.100.1"},
		{"an entry with a port", "10.1.2.3:5000", []string{"198.51.100.1:7123"}, trusted, "198.51.100.1"},
		{"IPv6 peer trusted, IPv6 client", "[2001:db8:aaaa::1]:443", []string{"2001:db8:bbbb::42"}, trusted, "2001:db8:bbbb::42"},
		{"IPv6 peer untrusted", "[2001:db8:cccc::1]:443", []string{"198.51.100.1"}, trusted, "2001:db8:cccc::1"},
		{"IPv6 entry with brackets and port", "10.1.2.3:5000", []string{"[2001:db8:bbbb::42]:443"}, trusted, "2001:db8:bbbb::42"},
		{"IPv4-mapped IPv6 peer matches an IPv4 CIDR", "[::ffff:10.1.2.3]:5000", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"IPv6 client behind IPv4 proxies", "10.1.2.3:5000", []string{"2001:db8:bbbb::42, 10.0.0.8"}, trusted, "2001:db8:bbbb::42"},
		{"not an IP peer: as the server gave it", "pipe", []string{"198.51.100.1"}, trusted, "pipe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, tt.trusted); got != tt.want {
				t.Errorf("clientAddr = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestClientAddrHopBound: a header of thousands of trusted hops is walked
// only maxForwardedHops deep, and the answer is still a trusted address
// from the header, never anything the client wrote further left.
func TestClientAddrHopBound(t *testing.T) {
	trusted, _ := ParseTrustedProxies("10.0.0.0/8")
	hops := make([]string, 5000)
	for i := range hops {
		hops[i] = "10.0.0.1"
	}
	hops[0] = "198.51.100.1" // far beyond the bound
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.1.2.3:5000"
	r.Header.Set("X-Forwarded-For", strings.Join(hops, ","))
	if got := clientAddr(r, trusted); got != "10.0.0.1" {
		t.Errorf("clientAddr = %q, want the last trusted hop walked, 10.0.0.1", got)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	tests := []struct {
		in      string
		want    string // the prefixes, joined by spaces
		wantErr string
	}{
		{"", "", ""},
		{" , ", "", ""},
		{"10.0.0.0/8", "10.0.0.0/8", ""},
		{"10.1.2.3/8", "10.0.0.0/8", ""},
		{"127.0.0.1, ::1", "127.0.0.1/32 ::1/128", ""},
		{"2001:db8::/32,192.168.0.0/16", "2001:db8::/32 192.168.0.0/16", ""},
		{"10.0.0.0/33", "", `"10.0.0.0/33" is not a CIDR`},
		{"10.0.0.0/8, nginx", "", `"nginx" is not a CIDR`},
		{"fe80::1%eth0", "", `"fe80::1%eth0" is not a CIDR`},
		{"10.0.0.0/8\n", "10.0.0.0/8", ""},
		{"a\x1b[31m", "", `"a\x1b[31m" is not a CIDR`},
	}
	for _, tt := range tests {
		got, err := ParseTrustedProxies(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseTrustedProxies(%q) error = %v, want one containing %s", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTrustedProxies(%q): %v", tt.in, err)
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if strings.Join(s, " ") != tt.want {
			t.Errorf("ParseTrustedProxies(%q) = %v, want %s", tt.in, s, tt.want)
		}
	}
}

// TestRequestLogNamesTheClient: through the whole server, the request's
// log line names the client from a trusted proxy's X-Forwarded-For, and
// the peer when the same header comes from anyone else.
func TestRequestLogNamesTheClient(t *testing.T) {
	trusted, _ := ParseTrustedProxies("127.0.0.0/8")
	s, logs := newServerWith(t, testContent(t), func(d *Deps) { d.TrustedProxies = trusted })
	tests := []struct {
		peer, id, want string
	}{
		{"127.0.0.1:40000", "via-proxy", "client=198.51.100.23"},
		{"203.0.113.5:40000", "direct", "client=203.0.113.5"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.RemoteAddr = tt.peer
		req.Header.Set("X-Forwarded-For", "198.51.100.23")
		req.Header.Set(RequestIDHeader, tt.id)
		s.ServeHTTP(httptest.NewRecorder(), req)
		line := ""
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "request_id="+tt.id+" ") && strings.Contains(l, "msg=request") {
				line = l
			}
		}
		if !strings.Contains(line, " "+tt.want+" ") {
			t.Errorf("peer %s: request log line %q, want %s", tt.peer, line, tt.want)
		}
	}
}
