package post

import (
	"slices"
	"strings"
	"testing"
)

func TestLinkedFiles(t *testing.T) {
	tests := []struct {
		post, ref string
		files     []string // nil: not a link to a post's file
		frag      string
	}{
		{"blog/b.md", "%7Bfilename%7D./2024-09-13-one.md", []string{"blog/2024-09-13-one.md", "2024-09-13-one.md"}, ""},
		{"blog/b.md", "{filename}/blog/one.md#intro", []string{"blog/one.md", "one.md"}, "#intro"},
		{"blog/b.md", "|filename|/blog/one.md", []string{"blog/one.md", "one.md"}, ""},
		{"b.md", "@/blog/2021/one.md", []string{"blog/2021/one.md", "2021/one.md", "one.md"}, ""},
		{"blog/b.md", "./one.md", []string{"blog/one.md", "one.md"}, ""},
		{"blog/b.md", "../news/One.MD?x=1", []string{"news/One.MD", "One.MD"}, ""},
		{"blog/b.md", "one.mdx", []string{"blog/one.mdx", "one.mdx"}, ""},
		{"a.md", "../../../etc/x.md", []string{"etc/x.md", "x.md"}, ""}, // never above the folder
		{"blog/b.md", "/blog/2025/one.md", []string{"blog/2025/one.md", "2025/one.md", "one.md"}, ""},
		{"blog/b.md", "https://github.com/o/r/blob/main/README.md", nil, ""},
		{"blog/b.md", "//github.com/o/r/README.md", nil, ""},
		{"blog/b.md", "mailto:someone.md", nil, ""},
		{"blog/b.md", "one.html", nil, ""},
		{"blog/b.md", "#section", nil, ""},
		{"blog/b.md", "images/one.png", nil, ""},
		{"blog/b.md", "%zz.md", nil, ""},
		{"blog/b.md", "{static}/images/one.png", nil, ""},
		{"blog/b.md", strings.Repeat("a/", 600) + "x.md", nil, ""},
	}
	for _, tt := range tests {
		files, frag, ok := LinkedFiles(tt.post, tt.ref)
		if ok != (tt.files != nil) || !slices.Equal(files, tt.files) || frag != tt.frag {
			t.Errorf("LinkedFiles(%q, %q) = %q, %q, %v; want %q, %q", tt.post, tt.ref, files, frag, ok, tt.files, tt.frag)
		}
	}
}
