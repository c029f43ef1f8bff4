package post

import (
	"net/url"
	"path"
	"strings"
)

// MaxLinkLen bounds a link LinkedFiles reads: a longer one names no post.
const MaxLinkLen = 1024

// sourceExts are the extensions of the files posts are read from.
var sourceExts = []string{".md", ".markdown", ".mdx"}

// LinkedFiles reads ref, a link in the post whose file is postFile, as a
// link to another post's source file, in the forms generators turn into
// that post's address: Pelican's {filename} and |filename|, Zola's @/, or
// a plain path ending in .md, .markdown or .mdx. It returns the content-folder paths the link may
// name, most likely first, and its #fragment; ok is false for any other
// link (another site, an anchor, a page, a file that is not a post).
func LinkedFiles(postFile, ref string) (files []string, frag string, ok bool) {
	ref = strings.TrimSpace(ref)
	if len(ref) > MaxLinkLen {
		return nil, "", false
	}
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		ref, frag = ref[:i], ref[i:]
	}
	if i := strings.IndexByte(ref, '?'); i >= 0 {
		ref = ref[:i]
	}
	p, err := url.PathUnescape(ref) // goldmark writes {filename} as %7Bfilename%7D
	if err != nil || p == "" {
		return nil, "", false
	}
	rooted := false // from the content folder's root rather than the post's folder
	switch {
	case strings.HasPrefix(p, "{filename}"):
		p = strings.TrimPrefix(p, "{filename}")
		rooted = strings.HasPrefix(p, "/")
	case strings.HasPrefix(p, "|filename|"):
		p = strings.TrimPrefix(p, "|filename|")
		rooted = strings.HasPrefix(p, "/")
	case strings.HasPrefix(p, "@/"):
		p, rooted = p[2:], true
	default:
		if strings.HasPrefix(p, "//") || strings.Contains(strings.SplitN(p, "/", 2)[0], ":") {
			return nil, "", false // another site, or a scheme (mailto:, https:)
		}
		rooted = strings.HasPrefix(p, "/")
	}
	if !hasSourceExt(p) {
		return nil, "", false
	}
	if strings.ContainsAny(p, "\\\x00") {
		return nil, "", false
	}
	if !rooted {
		files = appendFile(files, path.Join(path.Dir(postFile), p))
	}
	// A rooted link is read from the site's content root, of which the
	// archive's content folder may be a part (Zola's @/blog/x.md with
	// content/blog as the folder): its leading folders are dropped in turn.
	rest := strings.TrimLeft(path.Clean("/"+p), "/")
	for range 3 {
		files = appendFile(files, rest)
		_, after, found := strings.Cut(rest, "/")
		if !found {
			break
		}
		rest = after
	}
	return files, frag, len(files) > 0
}

func hasSourceExt(p string) bool {
	lower := strings.ToLower(p)
	for _, ext := range sourceExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// appendFile adds a cleaned path that can name a file inside the content
// folder: not above it, not empty.
func appendFile(files []string, p string) []string {
	p = path.Clean(p)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return files
	}
	for _, f := range files {
		if f == p {
			return files
		}
	}
	return append(files, p)
}
