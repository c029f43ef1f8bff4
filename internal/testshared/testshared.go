// Package testshared finds the real third-party data that tests read from
// the shared folder beside the repository (../shared: the corpus of real
// posts, the seed post, SciFact). That data stays outside the repository,
// so a test that needs it skips with one line naming the folder when it is
// absent, and fails instead when ARCHIVE_REQUIRE_SHARED=1 (CI sets it), so
// a CI run cannot pass by silently skipping them.
//
// `go test ./...` shows nothing of a passing package but its "ok" line, so
// a skip would go unseen without -v. Each skip (and each test that goes on
// without the data) therefore also writes one line straight to the go
// command's standard error, which is the terminal or the CI log (see
// announce).
//
// Only tests import this package; it is never linked into the archive
// binary (a test in the repository's root checks that).
package testshared

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// RequireEnv names the variable that turns a missing shared folder from a
// skip into a failure.
const RequireEnv = "ARCHIVE_REQUIRE_SHARED"

// Dir returns the path of rel (a folder or file under ../shared, such as
// "corpus" or "seed/x.txt"), relative to the test's working directory
// (its package's folder), or skips the test — fails it under
// ARCHIVE_REQUIRE_SHARED=1 — when it is not there.
func Dir(tb testing.TB, rel string) string {
	tb.Helper()
	p, err := path(rel)
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		Missing(tb, rel, err)
	}
	return p
}

// Has is Dir for a test that can go on without the shared data: it
// returns false after one log line instead of skipping, and still fails
// under ARCHIVE_REQUIRE_SHARED=1.
func Has(tb testing.TB, rel string) (string, bool) {
	tb.Helper()
	p, err := path(rel)
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("%s; %s=1 makes this a failure", message(rel, err), RequireEnv)
			return p, false
		}
		announce(tb, fmt.Sprintf("runs without ../shared/%s, which is not beside the repository", rel))
		tb.Logf("going on without it: %s", message(rel, err))
		return p, false
	}
	return p, true
}

// Missing skips the test, or fails it under ARCHIVE_REQUIRE_SHARED=1,
// because rel under ../shared could not be read (err says why). It is for
// tests that find the shared data their own way.
func Missing(tb testing.TB, rel string, err error) {
	tb.Helper()
	if os.Getenv(RequireEnv) == "1" {
		tb.Fatalf("%s; %s=1 makes this a failure", message(rel, err), RequireEnv)
		return // Fatalf does not return; a stand-in in this package's test does
	}
	announce(tb, fmt.Sprintf("skipped: needs ../shared/%s, which is not beside the repository", rel))
	tb.Skip("skipping: " + message(rel, err))
}

func message(rel string, err error) string {
	return fmt.Sprintf("needs ../shared/%s beside the repository (%v)", rel, err)
}

// path is ../shared/rel seen from the working directory: the repository's
// root is the nearest folder above it that holds go.mod.
func path(rel string) (string, error) {
	up, _, err := root()
	if err != nil {
		return "", err
	}
	return filepath.Join(up, "..", "shared", filepath.FromSlash(rel)), nil
}

// root finds the repository's root from the working directory (a test's
// package folder): the path up to it ("..", "../.."), and the package
// folder's path below it ("index", "cmd/archive").
func root() (up, pkg string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", "", fmt.Errorf("working directory: %w", err)
	}
	up = "."
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			pkg, err := filepath.Rel(dir, wd)
			return up, filepath.ToSlash(pkg), err
		}
		if filepath.Dir(dir) == dir {
			return "", "", errors.New("no go.mod above " + wd)
		}
		up = filepath.Join(up, "..")
	}
}
