package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// layouts are where generators keep the posts below a site's root
// (Hugo and Zola content/, content/blog, content/en/blog; Jekyll _posts;
// Docusaurus blog; Hexo source/_posts; Gatsby and Next src/posts).
// A parent folder is the content folder's site root only if the content
// folder sits at one of these places in it, so a stray config.toml in a
// home folder is never taken for the blog's.
var layouts = []string{
	"content", "content/*", "content/*/*",
	"_posts", "blog", "posts", "source/_posts",
	"src/posts", "src/content", "src/content/*",
}

// maxParents is how far up FindRoot looks: content/en/blog is three
// levels below its Hugo site root.
const maxParents = 3

// FindRoot returns the site root of the content folder dir and the site
// or generator file that marks it: dir itself when it holds a generator's
// configuration, else the nearest of its parents (at most three up) that
// holds a site.yaml or a generator file and below which dir sits where a
// generator keeps its posts, else dir if it holds a site.yaml. It returns
// "" when there is none; it never looks above the third parent.
func FindRoot(dir string) (root, marker string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", ""
	}
	if m := firstFile(abs, generatorFiles); m != "" {
		return abs, m
	}
	up := abs
	for range maxParents {
		parent := filepath.Dir(up)
		if parent == up {
			break
		}
		up = parent
		rel, err := filepath.Rel(up, abs)
		if err != nil || !isLayout(filepath.ToSlash(rel)) {
			continue
		}
		if m := firstFile(up, append([]string{File}, generatorFiles...)); m != "" {
			return up, m
		}
	}
	if firstFile(abs, []string{File}) != "" {
		return abs, File
	}
	return "", ""
}

func isLayout(rel string) bool {
	for _, l := range layouts {
		if ok, _ := path.Match(l, rel); ok {
			return true
		}
	}
	return false
}

// firstFile is the first of names that is a regular file in dir, or "".
func firstFile(dir string, names []string) string {
	for _, name := range names {
		if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err == nil && st.Mode().IsRegular() {
			return name
		}
	}
	return ""
}

// Load reads the identity of the archive of the content folder dir: the
// generator configuration of its site root and of dir, then the site.yaml
// of each (dir's last, so the content folder has the final word). A
// broken site.yaml is an error naming the file and line; a generator file
// that cannot be read is a warning, since it belongs to another program.
// It also returns the site root ("" when dir is not inside one), whose
// static folders the archive serves.
func Load(dir string) (Site, string, error) {
	s := Default()
	root, _ := FindRoot(dir)
	dirs := []string{dir}
	if abs, _ := filepath.Abs(dir); root != "" && root != abs {
		dirs = []string{root, dir}
	}
	for _, d := range dirs {
		s.applyGenerator(d)
	}
	for _, d := range dirs {
		name := filepath.Join(d, File)
		b, err := readSmall(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Site{}, "", &Error{File: name, Msg: err.Error()}
		}
		o, err := parseSiteFile(name, b)
		if err != nil {
			return Site{}, "", err
		}
		s.overlay(o)
		s.Sources = append(s.Sources, name)
	}
	return s, root, nil
}

// applyGenerator overlays the first generator configuration in dir.
func (s *Site) applyGenerator(dir string) {
	for _, g := range generatorFiles {
		name := filepath.Join(dir, filepath.FromSlash(g))
		b, err := readSmall(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			var o Site
			if o, err = parseGenerator(name, b); err == nil {
				s.overlay(o)
				s.Sources = append(s.Sources, name)
				return
			}
		}
		s.Warnings = append(s.Warnings, fmt.Sprintf("%v; the site's name and description are not taken from it", err))
		return
	}
}

// readSmall reads a regular file of at most maxFileBytes.
func readSmall(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fs.ErrNotExist // a folder named config.toml is not a config
		}
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if st.Size() > maxFileBytes {
		return nil, fmt.Errorf("%s is %d bytes; a site file may be at most %d", name, st.Size(), maxFileBytes)
	}
	return io.ReadAll(io.LimitReader(f, maxFileBytes))
}
