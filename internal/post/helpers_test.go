package post

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mustParse parses src as file and fails the test on any problem.
func mustParse(tb testing.TB, file, src string) *Post {
	tb.Helper()
	p, err := Parse(file, []byte(src))
	if err != nil {
		tb.Fatalf("Parse(%q): %v", file, err)
	}
	return p
}

// asProblem fails the test unless err is a *Problem.
func asProblem(tb testing.TB, err error) *Problem {
	tb.Helper()
	var p *Problem
	if !errors.As(err, &p) {
		tb.Fatalf("error = %v (%T), want a *Problem", err, err)
	}
	return p
}

// fm wraps front-matter lines in --- delimiters and adds a short body.
func fm(lines ...string) string {
	return "---\n" + strings.Join(lines, "\n") + "\n---\nBody.\n"
}

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// meta is p without the fields derived from the raw bytes, for comparing
// front-matter results.
func meta(p *Post) Post {
	q := *p
	q.File, q.Body, q.BodyLine, q.Hash, q.Size = "", nil, 0, "", 0
	return q
}

func checkPost(tb testing.TB, got *Post, want Post) {
	tb.Helper()
	if g := meta(got); !reflect.DeepEqual(g, want) {
		tb.Errorf("post mismatch\n got: %+v\nwant: %+v", g, want)
	}
}

// checkProblem compares the parts of a Problem a test cares about, and
// that Error() leads with "file:line" as a compiler would.
func checkProblem(tb testing.TB, got *Problem, file string, line int, field, msg string) {
	tb.Helper()
	if got.File != file || got.Line != line || got.Field != field {
		tb.Errorf("problem at %s:%d field %q, want %s:%d field %q (%v)", got.File, got.Line, got.Field, file, line, field, got)
	}
	if !strings.Contains(got.Msg, msg) {
		tb.Errorf("problem message %q, want it to contain %q", got.Msg, msg)
	}
	if got.Fix == "" {
		tb.Errorf("problem %v has no fix", got)
	}
	prefix := file + ": "
	if line > 0 {
		prefix = file + ":" + strconv.Itoa(line) + ": "
	}
	if !strings.HasPrefix(got.Error(), prefix) {
		tb.Errorf("Error() = %q, want prefix %q", got.Error(), prefix)
	}
}
