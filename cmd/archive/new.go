package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/site"
)

const newUsage = `Usage: archive new [-content DIR] [-author NAME] [-tags a,b] [-publish] "Title"

Writes DIR/<slug>.md: a post skeleton with the title, today's date and a
slug made from the title. The author defaults to $ARCHIVE_AUTHOR, else the
author in DIR/site.yaml (or the site's generator config). It is a draft (draft: true) until you remove that
line or pass -publish. An existing file is never overwritten.

Flags:
`

// runNew is archive new; the clock is today's date.
func runNew(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	return newPost(cfg, args, time.Now, stdout, stderr)
}

func newPost(cfg *config, args []string, now func() time.Time, stdout, stderr io.Writer) error {
	fl := commandFlags("archive new", newUsage, stderr)
	content := fl.String("content", cfg.content, "the folder of posts")
	author := fl.String("author", os.Getenv("ARCHIVE_AUTHOR"), "the author ($ARCHIVE_AUTHOR)")
	tags := fl.String("tags", "", "comma-separated tags")
	publish := fl.Bool("publish", false, "write it without draft: true")
	if err := parseCommandFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() != 1 || strings.TrimSpace(fl.Arg(0)) == "" {
		return &exitError{code: 2, msg: `archive new takes one argument, the title: archive new "My post"`}
	}
	title := strings.Join(strings.Fields(fl.Arg(0)), " ")
	slug := post.Slugify(title)
	if slug == "" {
		return &exitError{code: 2, msg: fmt.Sprintf("title %q has no letters or digits to make a file name from", title)}
	}
	src := post.Source{Title: title, Date: today(now()), Draft: !*publish, Tags: splitList(*tags),
		Body: "Write the post here. The first paragraph is the summary unless you set summary: above.\n"}
	if strings.TrimSpace(*author) == "" {
		// The site's author is the default; a broken site.yaml is for the
		// server and check to report, not a reason to refuse a new post.
		if s, _, err := site.Load(*content); err == nil {
			*author = s.Author
		}
	}
	if a := strings.TrimSpace(*author); a != "" {
		src.Authors = []string{a}
	}
	md, err := src.Markdown()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	path := filepath.Join(postsFolder(*content, cfg.posts), slug+".md")
	if err := writeNew(path, md); err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	fmt.Fprintln(stdout, path)
	return nil
}

// today is the date of t where the editor is, as a date-only value.
func today(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// writeNew creates path with data, making its folder if needed, and fails
// rather than overwrite: O_EXCL makes the check and the creation one step.
func writeNew(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; choose another title or edit that post", path)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// commandFlags is the flag set of an archive subcommand: errors and -h go
// to stderr, -h prints usage then the flags.
func commandFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, usage); fl.PrintDefaults() }
	return fl
}

// parseCommandFlags parses a command's flags, mapping -h and bad flags to
// exit statuses as the main flags do.
func parseCommandFlags(fl *flag.FlagSet, args []string) error {
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0}
		}
		return &exitError{code: 2}
	}
	return nil
}
