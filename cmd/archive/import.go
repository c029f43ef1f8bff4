package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/blust/archive/internal/importer"
	"github.com/blust/archive/internal/post"
)

const importUsage = `Usage: archive import [-content DIR] [-force] FILE...

Turns old posts into Markdown posts with front matter in the content
folder, keeping their text, dates, authors and tags. Each FILE may be a
plain-text page (a date line, a title line, paragraphs, a signature), an
HTML page, an RSS 2.0 or Atom feed file, or a WordPress export (WXR); the
format is recognised from the file itself.

A post is written to DIR/<slug>.md, the slug being the old site's (from the
post's URL or WordPress name) or else the title's. An existing file is left
alone unless -force is given. What could not be mapped (embedded video,
comments, images without alt text, ...) is reported on standard error.

Exit status: 0 every post written, 1 some file or post could not be
imported (the others are), 2 a usage error.

Flags:
`

func runImport(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	fl := commandFlags("archive import", importUsage, stderr)
	content := fl.String("content", cfg.content, "the folder of posts to write into")
	force := fl.Bool("force", false, "overwrite posts that already exist")
	if err := parseCommandFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return &exitError{code: 2, msg: "archive import needs at least one file to import (see archive import -h)"}
	}
	im := &importRun{content: postsFolder(*content, cfg.posts), force: *force, stdout: stdout, stderr: stderr, written: map[string]string{}}
	for _, name := range fl.Args() {
		if err := ctx.Err(); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		im.file(name)
	}
	fmt.Fprintf(stdout, "imported %d posts from %d files into %s; %d not imported, %d notes\n",
		im.posts, fl.NArg(), *content, im.failed, im.notes)
	if im.failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// importRun is one archive import: where posts go and what happened.
type importRun struct {
	content        string
	force          bool
	stdout, stderr io.Writer
	written        map[string]string // slug -> input it came from, in this run
	posts, failed  int
	notes          int
}

func (im *importRun) file(name string) {
	data, err := os.ReadFile(name)
	if err != nil {
		im.fail("%v", err)
		return
	}
	res, err := importer.Import(name, data)
	if err != nil {
		im.fail("%v", err)
		return
	}
	for _, n := range res.Notes {
		fmt.Fprintf(im.stderr, "%s: %s\n", name, n)
		im.notes++
	}
	for _, p := range res.Posts {
		im.post(name, p)
	}
}

func (im *importRun) post(name string, p importer.Post) {
	path := filepath.Join(im.content, p.Slug+".md")
	if from, dup := im.written[p.Slug]; dup {
		im.fail("%s: slug %q was already taken by %s in this import; not written", p.From, p.Slug, from)
		return
	}
	md, err := p.Source.Markdown()
	if err == nil {
		_, err = post.Parse(p.Slug+".md", md) // never write a post the archive would reject
	}
	if err != nil {
		im.fail("%s: %v", p.From, err)
		return
	}
	if im.force {
		err = writeReplacing(path, md)
	} else {
		err = writeNew(path, md)
	}
	if err != nil {
		im.fail("%s: %v (use -force to overwrite)", p.From, err)
		return
	}
	im.written[p.Slug] = p.From
	im.posts++
	fmt.Fprintf(im.stdout, "%s -> %s\n", p.From, path)
}

func (im *importRun) fail(format string, args ...any) {
	fmt.Fprintf(im.stderr, "archive import: "+format+"\n", args...)
	im.failed++
}

// writeReplacing writes path through a temporary file and a rename, so a
// reader (a watching server) never sees half a post.
func writeReplacing(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".import-*.md")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}
