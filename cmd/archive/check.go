package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/check"
	"github.com/blust/archive/internal/post"
)

const checkUsage = `Usage: archive check [-content DIR] [-posts DIR] [-format text|json]

Lints the content folder without touching the index: front matter that does
not load, missing or duplicate slugs, dates in the future, empty bodies,
links to posts that do not exist (or are drafts), images without alt text,
and synonyms-file entries no post uses (a warning). Each finding is printed
as FILE:LINE: message (fix), like a compiler; -format json prints one JSON
object for CI.

Exit status: 0 nothing wrong (warnings allowed), 1 something is wrong,
2 a usage error or an unreadable folder.

Flags:
`

func runCheck(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	return checkContent(cfg, args, time.Now, stdout, stderr)
}

func checkContent(cfg *config, args []string, now func() time.Time, stdout, stderr io.Writer) error {
	fl := commandFlags("archive check", checkUsage, stderr)
	content := fl.String("content", cfg.content, "the folder of posts, or a site's root folder")
	posts := fl.String("posts", cfg.posts, "the posts folder inside -content, when the guess is wrong")
	format := fl.String("format", "text", "text (compiler-style lines) or json")
	if err := parseCommandFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("unexpected argument %q (see archive check -h)", fl.Arg(0))}
	}
	if *format != "text" && *format != "json" {
		return &exitError{code: 2, msg: fmt.Sprintf("-format must be text or json, not %q", *format)}
	}
	if st, err := os.Stat(*content); err != nil || !st.IsDir() {
		return &exitError{code: 2, msg: fmt.Sprintf("content folder %s: not a readable folder", *content)}
	}
	layout, err := post.FindLayout(*content, *posts)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if !layout.Trivial() {
		fmt.Fprintln(stderr, layout.Summary())
	}
	*content = layout.PostsDir()
	opts := check.Options{Now: now()}
	synErr := synonymsForCheck(*content, &opts)
	ident, root, siteErr := readSite(*content, layout.Site)
	opts.Site = ident.Values // so check renders {{ site.x }} as the index and the server do
	files, closeFiles, err := mediaLibrary(*content, root)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	defer closeFiles()
	opts.Media = files
	rep, err := check.Run(os.DirFS(*content), opts)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if f := siteFinding(*content, siteErr); f != nil {
		rep.Findings = append([]check.Finding{*f}, rep.Findings...)
	}
	if synErr != nil {
		rep.Findings = append([]check.Finding{*synErr}, rep.Findings...)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	} else {
		for _, f := range rep.Findings {
			fmt.Fprintln(stdout, printable(f.String(*content))) // file names are untrusted
		}
		fmt.Fprintf(stdout, "checked %d posts (%d drafts): %d errors, %d warnings\n",
			rep.Posts, rep.Drafts, rep.Errors(), len(rep.Findings)-rep.Errors())
	}
	if rep.Errors() > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// synonymsForCheck reads the content folder's synonyms file into opts, so
// the check can look for entries no post uses. A file the search would
// refuse is returned as an error finding instead.
func synonymsForCheck(content string, opts *check.Options) *check.Finding {
	groups, err := post.LoadSynonyms(os.DirFS(content), post.SynonymsFile)
	if err == nil {
		err = index.CheckSynonyms(groups)
	}
	if err != nil {
		f := check.Finding{File: post.SynonymsFile, Severity: check.Error, Code: "synonyms", Message: err.Error()}
		var p *post.Problem
		if errors.As(err, &p) {
			f.Line, f.Message, f.Fix = p.Line, p.Msg, p.Fix
		}
		return &f
	}
	opts.SynonymsFile = post.SynonymsFile
	for _, g := range groups {
		opts.Synonyms = append(opts.Synonyms, check.SynonymGroup{Terms: g.Terms, Line: g.Line})
	}
	return nil
}
