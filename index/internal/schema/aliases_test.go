package schema

import (
	"strings"
	"testing"
)

func TestAliasPath(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"/0-hello-worlds/", "/0-hello-worlds", true},
		{"/0-hello-worlds", "/0-hello-worlds", true},
		{"old-name", "/old-name", true},
		{"https://old.example.org/2019/11/07/slug.html?utm=1#top", "/2019/11/07/slug.html", true},
		{"/news/x/index.html", "/news/x", true},
		{"/Blog/Case/", "/Blog/Case", true},
		{"/a//b/../c/", "/a/c", true},
		{"/../../etc/passwd", "/etc/passwd", true},
		{"/caf%C3%A9/", "/café", true},
		{"", "", false},
		{"/", "", false},
		{"https://old.example.org/", "", false},
		{"/index.html", "", false},
		{"/" + strings.Repeat("a", MaxAliasLen), "", false},
	}
	for _, tt := range tests {
		got, ok := AliasPath(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("AliasPath(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
