package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/internal/qlang"
)

// helpPage documents the search language. Its examples are data rather
// than template text, so a test runs every one of them.
type helpPage struct {
	Sections []helpSection
}

func (helpPage) PageTitle() string { return "How to search" }

func (helpPage) pageHead() head {
	return head{Canonical: "/help/search", Description: "How to search the archive: words, phrases, AND/OR/NOT, fields, dates and modes."}
}

type helpSection struct {
	ID, Title, Intro string
	Examples         []helpExample
}

// helpExample is one query with what it does.
type helpExample struct {
	Query string
	Mode  qlang.Mode // "" for the default (auto)
	Means string
}

// URL runs the example.
func (e helpExample) URL() string {
	v := url.Values{"q": {e.Query}}
	if e.Mode != "" {
		v.Set("mode", string(e.Mode))
	}
	return "/search?" + v.Encode()
}

func (s *Server) helpSearch(c *gin.Context) {
	s.page(c, http.StatusOK, "help", helpPage{Sections: helpSections(helpWordsOf(c.Request.Context(), s.deps.Index))})
}

// helpSections are the help page's sections; their examples are made of
// the archive's own words (helpWordsOf), so they find posts in any blog.
func helpSections(w helpWords) []helpSection {
	y := strconv.Itoa
	phrase := `"` + w.A + " " + w.B + `"`
	return []helpSection{
		{ID: "words", Title: "Words",
			Intro: "Type a few words. Posts with all of them come first, posts whose title has all of them before those; posts with only some still follow. Words match in their English forms, the last word also matches as the start of a longer one, and the archive's synonyms count as the same word.",
			Examples: []helpExample{
				{Query: w.A + " " + w.B + " " + w.C, Means: "posts with all three words first, then those with some of them"},
				{Query: prefix(w.A), Means: "the last word is completed as you type: " + w.A},
			}},
		{ID: "phrases", Title: "Phrases",
			Intro: "Words in double quotes must appear together, in that order. A word joined by hyphens or other punctuation, such as well-known, is read the same way, as if quoted, and also as one word (e-mail finds email too).",
			Examples: []helpExample{
				{Query: phrase, Means: "the phrase, not the two words apart"},
				{Query: phrase + " " + w.C, Means: "posts with the phrase, ranked by " + w.C},
			}},
		{ID: "operators", Title: "Required, excluded, AND, OR, NOT",
			Intro: "+word requires a word and -word excludes it. AND, OR and NOT (in capitals) combine words, phrases and groups in parentheses; AND binds tighter than OR. Words side by side without an operator are ranked together as above.",
			Examples: []helpExample{
				{Query: "+" + w.A + " " + w.B, Means: w.A + " must appear; " + w.B + " ranks higher"},
				{Query: w.A + " -" + w.B, Means: w.A + " posts that do not mention " + w.B},
				{Query: w.A + " AND (" + w.B + " OR " + w.C + ")", Means: w.A + " together with either of the others"},
				{Query: w.A + " NOT " + w.C, Means: "the same as " + w.A + " -" + w.C},
			}},
		{ID: "fields", Title: "Fields",
			Intro: "title: looks only in titles. tag:, author: and date: filter: they narrow the results without changing their order. Put a phrase after the colon for several words, or a group in parentheses.",
			Examples: []helpExample{
				{Query: "title:" + w.A, Means: w.A + " in the title"},
				{Query: "tag:" + w.A + " " + w.B, Means: w.B + ", in posts tagged " + w.A},
				{Query: `author:"` + w.Author + `"`, Means: "posts by that author"},
				{Query: "tag:(" + w.A + " OR " + w.B + ")", Means: "posts with either tag"},
			}},
		{ID: "dates", Title: "Dates",
			Intro: "date: takes a year, a month or a day, a range with .. (either end may be left open), or a comparison. Both ends of a range are included.",
			Examples: []helpExample{
				{Query: w.A + " date:" + y(w.MiddleYear), Means: "posts from " + y(w.MiddleYear)},
				{Query: "date:" + y(w.First) + ".." + y(w.MiddleYear) + " " + w.B, Means: "from the start of " + y(w.First) + " to the end of " + y(w.MiddleYear)},
				{Query: "date:>=" + y(w.MiddleYear) + "-01-01 " + w.C, Means: "from 1 January " + y(w.MiddleYear) + " on"},
				{Query: "date:<" + y(w.Last) + "-06 " + w.A, Means: "before June " + y(w.Last)},
			}},
		{ID: "modes", Title: "Modes",
			Intro: "The mode parameter says how the text is read. auto (the default) reads the grammar above as soon as the text uses an operator, and plain words otherwise. advanced always reads the grammar and never guesses: no completion of the last word and no automatic spelling correction (a suggestion is still offered). plain reads every character as text, for pasting a sentence full of hyphens, colons and parentheses. A malformed query (an unclosed quote or parenthesis, an unknown field, a date that is no date) is refused with a message that says where; plain never is.",
			Examples: []helpExample{
				{Query: "title:(" + w.A + " OR " + w.B + ") -" + w.C, Mode: qlang.ModeAdvanced, Means: "the grammar, exactly as written"},
				{Query: "What's new: " + w.A + " (and -" + w.B + ")?", Mode: qlang.ModePlain, Means: "a pasted sentence, all of it text"},
			}},
	}
}
