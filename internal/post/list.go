package post

import (
	"fmt"
	"io/fs"
)

// Files lists the post files Load would read in fsys, in walk order:
// *.md and *.markdown files outside folders whose names start with "." or
// "_". A subfolder that cannot be listed becomes a Problem, since it hides
// posts. Files reads no file; the incremental updater uses it to decide
// which files need parsing at all. The error is only for failing to walk
// the root itself.
func Files(fsys fs.FS) (files []string, problems []*Problem, err error) {
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case name == ".":
			return err
		case err != nil:
			problems = append(problems, readProblem(name, err))
			return nil
		case isIgnored(d.Name()) && d.IsDir():
			return fs.SkipDir
		case d.IsDir() || !IsPostFile(name):
			return nil
		}
		files = append(files, name)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load posts: %w", err)
	}
	return files, problems, nil
}
