package post

import (
	"strings"
	"testing"
)

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name  string
		file  string // default bad.md
		src   string
		line  int
		field string
		msg   string
	}{
		{"empty file", "", "", 0, "", "file is empty"},
		{"only whitespace and BOM", "", "\uFEFF \n\n\t\n", 0, "", "file is empty"},
		{"binary", "", "---\ntitle: x\x00\x01\x02", 0, "", "binary"},
		{"invalid UTF-8 on line 3", "", "---\ntitle: ok\ndate: 2023-01-02 \xff\xfe\n---\n", 3, "", "not valid UTF-8 (byte 0xff)"},
		{"invalid UTF-8 in the body", "", fm(title, date) + "line 6\nline 7 \xc3\x28\n", 7, "", "not valid UTF-8"},
		{"no front matter and no date in the name", "", "# Hello\n\nJust Markdown.\n", 1, "date",
			"no date: the front matter has no date (date, pubDate, publishDate, published, created), the file name does not start with YYYY-MM-DD-, and the path has no YYYY/MM/DD folders"},
		{"front matter not on the first line is body", "", "\n---\ntitle: x\n---\n", 1, "date", "no date"},
		{"JSON front matter without a date", "", "{\"title\": \"x\"}\n", 1, "date", "no date"},
		{"JSON front matter unclosed", "", "{\"title\": \"x\",\n\"date\": \"2023-01-02\"\n", 1, "", "not valid JSON"},
		{"date not a date, and none in the name", "2023-02-30-x.md", fm(title, "date: soon"), 3, "date", `date "soon" is not a date`},
		{"unterminated YAML", "", "---\ntitle: x\ndate: 2023-01-02\n\nBody\n", 1, "", "never closed"},
		{"unterminated TOML", "", "+++\ntitle = 'x'\n---\n", 1, "", "never closed"},
		{"YAML colon in plain value beside a list item", "", fm(title, date, "summary: Lesson 1: basics", "- item"), 4, "", "not valid YAML: mapping values are not allowed"},
		{"YAML unclosed flow list", "", fm(title, date, "tags: [a, b", "draft: false"), 4, "", "not valid YAML"},
		{"YAML bad indentation", "", fm(title, "  date: 2023-01-02"), 3, "", "not valid YAML"},
		{"YAML tab indentation", "", fm(title, "tags:", "\t- a"), 4, "", "not valid YAML"},
		{"YAML list at top level", "", fm("- a", "- b"), 2, "", "not a set of key: value lines"},
		{"TOML syntax", "", "+++\ntitle = 'x'\ndate = \n+++\n", 3, "", "not valid TOML"},
		{"TOML impossible date", "", "+++\ntitle = 'x'\ndate = 2023-02-30\n+++\n", 3, "", "not valid TOML"},
		{"TOML time without a date", "", "+++\ntitle = 'x'\n\ndate = 10:30:00\n+++\n", 4, "date", `date "10:30:00" is not a date`},
		{"empty TOML", "", "+++\n+++\n", 1, "date", "no date"},
		{"TOML title a table", "", "+++\ndate = 2023-01-02\n[title]\nen = 'x'\n+++\n", 3, "title", "title must be a single value, not a mapping"},
		{"empty front matter", "", "---\n---\nbody\n", 1, "date", "no date"},
		{"title is a mapping", "", fm(date, "title:", "  en: Hello"), 3, "title", "title must be a single value, not a mapping"},
		{"title twice", "", fm(title, date, "title: Again"), 4, "title", "title is set twice (first on line 2)"},
		{"missing date", "", fm(title), 1, "date", "the front matter has no date"},
		{"null date", "", fm(title, "date:"), 3, "date", "date is empty, the file name does not start with YYYY-MM-DD-"},
		{"impossible day", "", fm(title, "author: x", "date: 2023-02-30"), 4, "date", `date "2023-02-30" is not a real date`},
		{"month 13", "", fm(title, "date: 2023-13-01"), 3, "date", `date "2023-13-01" is not a real date`},
		{"year the index cannot store", "", fm(title, "date: 1500-01-01"), 3, "date", `date "1500-01-01" is outside the years 1678–2261`},
		{"impossible quoted date", "", fm(title, `date: "2021-04-31"`), 3, "date", "not a real date"},
		{"not a date", "", fm(title, "date: next tuesday"), 3, "date", `date "next tuesday" is not a date`},
		{"date is a list", "", fm(title, "date: [2023-01-02, 2023-01-03]"), 3, "date", "must be a single value, not a list"},
		{"slug without letters", "", fm(title, date, "slug: '!!!'"), 4, "slug", `slug "!!!" has no letters or digits`},
		{"file name without letters", "!!!.md", fm(title, date), 0, "", "gives an empty slug"},
		{"draft not a boolean", "", fm(title, date, "draft: maybe"), 4, "draft", `draft must be true or false, not "maybe"`},
		{"tags a mapping", "", fm(title, date, "tags:", "  a: b"), 4, "tags", "tags must be a list or comma-separated text, not a mapping"},
		{"tags item a mapping", "", fm(title, date, "tags:", "  - a", "  - b: c"), 4, "tags", "has an item on line 6 that is a mapping"},
		{"CRLF keeps line numbers", "", "---\r\ntitle: x\r\n\r\ndate: 2023-02-30\r\n---\r\n", 4, "date", "not a real date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "bad.md"
			}
			p, err := Parse(file, []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want a problem", meta(p))
			}
			if p != nil {
				t.Errorf("Parse returned a post and an error")
			}
			checkProblem(t, asProblem(t, err), file, tt.line, tt.field, tt.msg)
		})
	}
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want string
	}{
		{"with line and fix", Problem{File: "a/b.md", Line: 4, Field: "date", Msg: `date "2023-02-30" is not a real date`, Fix: "write the date as YYYY-MM-DD"},
			`a/b.md:4: date "2023-02-30" is not a real date (write the date as YYYY-MM-DD)`},
		{"without line", Problem{File: "b.md", Msg: "file is empty", Fix: "add front matter"}, "b.md: file is empty (add front matter)"},
		{"without fix", Problem{File: "b.md", Line: 1, Msg: "broken"}, "b.md:1: broken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuthor(t *testing.T) {
	tests := []struct {
		authors []string
		want    string
	}{
		{nil, ""},
		{[]string{"Ann"}, "Ann"},
		{[]string{"Ann", "Bo Li"}, "Ann, Bo Li"},
	}
	for _, tt := range tests {
		p := &Post{Authors: tt.authors}
		if got := p.Author(); got != tt.want {
			t.Errorf("Author() with %q = %q, want %q", tt.authors, got, tt.want)
		}
	}
}

// TestParseProblemIsError checks that a successful Parse returns a nil
// error interface, not a nil *Problem wrapped in one.
func TestParseProblemIsError(t *testing.T) {
	_, err := Parse("ok.md", []byte(fm(title, date)))
	if err != nil {
		t.Fatalf("err = %#v, want nil", err)
	}
	_, err = Parse("bad.md", nil)
	if !strings.HasPrefix(err.Error(), "bad.md: ") {
		t.Errorf("err = %q, want it to start with the file", err)
	}
}
