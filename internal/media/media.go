// Package media finds the files a blog keeps beside its posts (a page
// bundle's images, the site's static/, assets/, images/ and public/
// folders) and maps the references posts make to them, relative
// (./img.png, img.png) or site-absolute (/images/x.png), to the one URL
// the archive serves each from: /media/c/<path in the content folder> or
// /media/s/<path in the site root>.
//
// Only plain media are ever served, by an allow-list of extensions, and
// only from inside the content folder or the site root's static folders:
// a name with "..", a hidden segment or a disallowed extension is never
// opened. Give it file systems that refuse symlinks leading out (os.Root's
// FS), so a link inside the folder cannot reach the rest of the disk.
package media

import (
	"errors"
	"io/fs"
	"net/url"
	"path"
	"strings"
)

// Prefix is where the archive serves these files.
const Prefix = "/media/"

// The two roots a served path starts with.
const (
	rootContent = "c"
	rootSite    = "s"
)

// StaticDirs are the site folders whose files the generators publish at
// the site's root (Hugo static/ and assets/, Next public/; Jekyll
// publishes every folder, and blogs keep their images in images/, img/,
// media/ or uploads/).
var StaticDirs = []string{"static", "public", "assets", "images", "img", "media", "uploads"}

// types is the allow-list: images, PDFs, audio and video, with the
// Content-Type each is served as. Anything else beside a post (scripts,
// HTML, archives, source files) is never served.
var types = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml", ".ico": "image/x-icon",
	".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff",
	".pdf": "application/pdf",
	".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".mov": "video/quicktime",
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/ogg",
	".wav": "audio/wav", ".flac": "audio/flac",
}

// maxName bounds a served or resolved name.
const maxName = 1024

// ContentType is the type a file is served as, and whether its
// extension is allowed at all.
func ContentType(name string) (string, bool) {
	t, ok := types[strings.ToLower(path.Ext(name))]
	return t, ok
}

// IsMedia reports whether a reference names a file of an allowed type.
func IsMedia(ref string) bool {
	p, ok := refPath(ref)
	if !ok {
		return false
	}
	_, ok = ContentType(p)
	return ok
}

// Library is the files one archive serves beside its posts.
type Library struct {
	content fs.FS  // the content folder
	site    fs.FS  // the site root, nil if the content folder is not inside one
	under   string // the content folder's path inside the site root ("" if it is the root or there is none)
}

// New makes the library of a content folder and, when it sits inside a
// site root, of that root's static folders; contentInSite is the content
// folder's slash path inside the root ("content/blog"), "" if none.
func New(content, site fs.FS, contentInSite string) *Library {
	if site == nil {
		contentInSite = ""
	}
	return &Library{content: content, site: site, under: strings.Trim(contentInSite, "/")}
}

// ErrNotServed is returned by Open for any name the library does not serve.
var ErrNotServed = errors.New("no such file")

// Resolve maps a reference in the post file postFile (a slash path in
// the content folder) to the URL the archive serves it at. local is false
// for what is not a reference to a media file of this site (another
// site's URL, an anchor, a link to a post, a disallowed type); then url is
// "". local with url "" means the file does not exist: check reports it.
func (l *Library) Resolve(postFile, ref string) (u string, local bool) {
	p, ok := refPath(ref)
	if !ok {
		return "", false
	}
	if _, ok := ContentType(p); !ok {
		return "", false
	}
	p = unprefixed(p)
	for _, c := range l.candidates(postFile, p) {
		if l.exists(c.root, c.name) {
			return c.url(), true
		}
	}
	return "", true
}

// pelicanPrefixes start Pelican's references to files: {static}/x.png
// from the content root, {static}x.png or {attach}x.png from the post's
// folder; the bar forms are Pelican's older syntax.
var pelicanPrefixes = []string{"{static}", "{attach}", "{filename}", "|static|", "|attach|", "|filename|"}

// unprefixed is p without a Pelican prefix: what is left reads as any
// other reference, rooted or relative.
func unprefixed(p string) string {
	for _, pre := range pelicanPrefixes {
		if rest, ok := strings.CutPrefix(p, pre); ok && rest != "" {
			return rest
		}
	}
	return p
}

// candidate is one place a reference may point to.
type candidate struct{ root, name string }

func (c candidate) url() string {
	segs := strings.Split(c.name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return Prefix + c.root + "/" + strings.Join(segs, "/")
}

// candidates lists where a reference may point, in the order the
// generators would look: beside the post (the bundle, or a Hexo/Jekyll
// asset folder named like the post), then the static folders.
func (l *Library) candidates(postFile, p string) []candidate {
	var out []candidate
	add := func(root, name string) {
		if name = path.Clean(name); validName(name) {
			out = append(out, candidate{root, name})
		}
	}
	dir := path.Dir(postFile)
	if !strings.HasPrefix(p, "/") {
		add(rootContent, path.Join(dir, p))
		stem := strings.TrimSuffix(path.Base(postFile), path.Ext(postFile))
		add(rootContent, path.Join(dir, stem, p))
		if l.site != nil { // ../static/x.png from content/blog/post.md
			if n := path.Join(l.under, dir, p); staticName(n) {
				add(rootSite, n)
			}
		}
		return out
	}
	rel := strings.TrimPrefix(p, "/")
	add(rootContent, rel) // the content folder is the site root, or a Pelican-style content/images
	for _, d := range StaticDirs {
		add(rootContent, path.Join(d, rel))
	}
	if l.site != nil {
		for _, d := range StaticDirs {
			add(rootSite, path.Join(d, rel))
		}
		if staticName(rel) { // /images/x.png kept in the root's images/
			add(rootSite, rel)
		}
	}
	return out
}

// refPath is the path of a reference that may be a file of this site: no
// scheme, no host, not only an anchor; query and fragment dropped,
// percent-escapes decoded.
func refPath(ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > maxName || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "//") {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.Path == "" {
		return "", false
	}
	return u.Path, true
}

// validName is a name Open may try: a valid fs path (no "..", no leading
// slash, no empty segment) without hidden segments (.git, .env), of an
// allowed type.
func validName(name string) bool {
	if len(name) > maxName || !fs.ValidPath(name) || name == "." {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	_, ok := ContentType(name)
	return ok
}

// staticName reports whether a site-root name is inside a static folder.
func staticName(name string) bool {
	first, _, _ := strings.Cut(path.Clean(name), "/")
	for _, d := range StaticDirs {
		if first == d {
			return true
		}
	}
	return false
}

func (l *Library) fsOf(root, name string) fs.FS {
	switch {
	case root == rootContent:
		return l.content
	case root == rootSite && l.site != nil && staticName(name):
		return l.site
	}
	return nil
}

func (l *Library) exists(root, name string) bool {
	fsys := l.fsOf(root, name)
	if fsys == nil {
		return false
	}
	st, err := fs.Stat(fsys, name)
	return err == nil && st.Mode().IsRegular()
}

// Open opens the file served at Prefix+root+"/"+name, a regular file of
// an allowed type inside the library, or fails with ErrNotServed. The
// caller closes it.
func (l *Library) Open(root, name string) (fs.File, fs.FileInfo, error) {
	if !validName(name) {
		return nil, nil, ErrNotServed
	}
	fsys := l.fsOf(root, name)
	if fsys == nil {
		return nil, nil, ErrNotServed
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, ErrNotServed
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, ErrNotServed
	}
	return f, st, nil
}
