package hygiene

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	// maxFileBytes is the largest file the repository may hold: anything
	// bigger is data or a vendored bundle, not something we wrote.
	maxFileBytes = 200 << 10
	// maxLineBytes is the longest line a JavaScript or CSS file may have;
	// longer ones are minified, so someone else's build output.
	maxLineBytes = 5000
	// headerLines is how far into a file a licence header is looked for.
	headerLines = 40
)

// exempt are the files the checks skip, each with the reason.
var exempt = map[string]string{
	"go.sum":                           "the Go modules' checksums: long, generated, and the way to pin them",
	"internal/hygiene/hygiene_test.go": "names the licence phrases it looks for",
}

// licenceHeader matches the lines that open someone else's licensed file:
// SPDX tags and the usual MIT, BSD, Apache, GPL and MPL headers. Our files
// carry none.
var licenceHeader = regexp.MustCompile(`(?i)SPDX-License-Identifier|@license\b|Licensed under the|Permission is hereby granted|General Public License|Mozilla Public License|Redistribution and use in source and binary forms|THE SOFTWARE IS PROVIDED "AS IS"|All rights reserved|Copyright\s+(\(c\)|©|\d{4})`)

// licenceFile matches the names of licence texts, which come with
// vendored code; only the repository's root may hold one (its own).
var licenceFile = regexp.MustCompile(`(?i)^(LICEN[CS]E|COPYING|NOTICE)([.-].*)?$`)

// minifiedName matches the names of minified bundles.
var minifiedName = regexp.MustCompile(`(?i)[.-]min\.(js|mjs|css)$`)

// repoRoot is the repository's root, two folders above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// trackedFiles lists the repository's files as git sees them, or skips
// outside a git checkout (CI runs in a clone, so there it always runs).
func trackedFiles(t *testing.T, root string) []string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipping: git is not installed")
	}
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		if _, statErr := os.Stat(filepath.Join(root, ".git")); statErr != nil {
			t.Skipf("skipping: %s is not a git checkout", root)
		}
		t.Fatalf("git ls-files: %v", err)
	}
	var files []string
	for _, f := range bytes.Split(out, []byte{0}) {
		if len(f) > 0 {
			files = append(files, string(f))
		}
	}
	if len(files) < 10 {
		t.Fatalf("git ls-files listed only %d files", len(files))
	}
	return files
}

// TestOnlyOurOwnFilesAreTracked fails on a tracked file that is too big,
// minified, or carries a third-party licence.
func TestOnlyOurOwnFilesAreTracked(t *testing.T) {
	root := repoRoot(t)
	for _, name := range trackedFiles(t, root) {
		if _, ok := exempt[name]; ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, problem := range problems(name, data) {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

// problems says what is wrong with one tracked file, if anything.
func problems(name string, data []byte) []string {
	var out []string
	if len(data) > maxFileBytes {
		out = append(out, fmt.Sprintf("%d KB, over the %d KB limit: data and bundles belong outside the repository", len(data)>>10, maxFileBytes>>10))
	}
	base := path.Base(name)
	if minifiedName.MatchString(base) {
		out = append(out, "a minified bundle: install it from its registry instead (as .ci/run does for axe-core)")
	}
	switch strings.ToLower(path.Ext(base)) {
	case ".js", ".mjs", ".css":
		if n, long := longestLine(data); long > maxLineBytes {
			out = append(out, fmt.Sprintf("line %d is %d bytes long: minified code is not ours", n, long))
		}
	}
	if licenceFile.MatchString(base) && strings.Contains(name, "/") {
		out = append(out, "a licence text outside the root: it came with someone else's code or text")
	}
	if n, line, ok := licenceLine(data); ok {
		out = append(out, fmt.Sprintf("line %d is a third-party licence header: %q", n, line))
	}
	return out
}

func longestLine(data []byte) (lineNo, length int) {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(line) > length {
			lineNo, length = i+1, len(line)
		}
	}
	return lineNo, length
}

// licenceLine finds a licence header in the first lines of a file.
func licenceLine(data []byte) (int, string, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; n <= headerLines && sc.Scan(); n++ {
		if line := sc.Text(); licenceHeader.MatchString(line) {
			return n, strings.TrimSpace(line[:min(len(line), 120)]), true
		}
	}
	return 0, "", false
}

func TestProblemsAreFound(t *testing.T) {
	long := strings.Repeat("a", maxLineBytes+1)
	tests := []struct {
		name string
		data string
		want string // a word of the problem, or "" for none
	}{
		{"web/static/app.js", "function f() {\n  return 1;\n}\n", ""},
		{"web/static/app.js", "var a=1;" + long, "minified"},
		{"web/static/style.css", long + "\n", "minified"},
		{"README.md", long + "\n", ""}, // long lines are fine in prose
		{"web/testdata/axe/axe.min.js", "x", "minified bundle"},
		{"web/vendor/x.min.css", "x", "minified bundle"},
		{"web/testdata/big.json", strings.Repeat("{}\n", maxFileBytes/3+1), "KB"},
		{"web/testdata/axe/LICENSE", "our words", "licence text"},
		{"LICENSE", "our words", ""},
		{"a/b.go", "// SPDX-License-Identifier: MPL-2.0\npackage b\n", "licence header"},
		{"a/b.js", "/*! @license MIT */\n", "licence header"},
		{"a/b.go", "// Copyright (c) 2015 Someone Else\npackage b\n", "licence header"},
		{"a/b.go", "/*\n Permission is hereby granted, free of charge, to any person\n*/\n", "licence header"},
		{"a/b.go", "// Licensed under the Apache License, Version 2.0\n", "licence header"},
		{"a/b.md", "The footer says © 2018 Blust.\n", ""},
		{"a/b.go", strings.Repeat("\n", headerLines) + "// SPDX-License-Identifier: MIT\n", ""}, // not a header
	}
	for _, tt := range tests {
		got := strings.Join(problems(tt.name, []byte(tt.data)), "; ")
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("problems(%s, %.40q…) = %q, want %q", tt.name, tt.data, got, tt.want)
		}
	}
}
