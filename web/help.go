package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/internal/query"
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
	Mode  query.Mode // "" for the default (auto)
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
	s.page(c, http.StatusOK, "help", helpPage{Sections: helpSections()})
}

func helpSections() []helpSection {
	return []helpSection{
		{ID: "words", Title: "Words",
			Intro: "Type a few words. Posts with all of them come first, posts whose title has all of them before those; posts with only some still follow. Words match in their English forms, the last word also matches as the start of a longer one, and the archive's synonyms count as the same word.",
			Examples: []helpExample{
				{Query: "filecoin storage deals", Means: "posts about Filecoin storage deals; those with all three words first"},
				{Query: "filec", Means: "the last word is completed as you type: Filecoin"},
				{Query: "p2p", Means: "also peer-to-peer and peer to peer (see the synonyms below)"},
				{Query: "blockchian", Means: "a typo: the results are for blockchain, with a link to search for the word as typed"},
			}},
		{ID: "phrases", Title: "Phrases",
			Intro: "Words in double quotes must appear together, in that order.",
			Examples: []helpExample{
				{Query: `"content addressing"`, Means: "the phrase, not the two words apart"},
				{Query: `"distributed hash table" kademlia`, Means: "posts with the phrase, ranked by kademlia"},
			}},
		{ID: "operators", Title: "Required, excluded, AND, OR, NOT",
			Intro: "+word requires a word and -word excludes it. AND, OR and NOT (in capitals) combine words, phrases and groups in parentheses; AND binds tighter than OR. Words side by side without an operator are ranked together as above.",
			Examples: []helpExample{
				{Query: "+libp2p gossipsub", Means: "libp2p must appear; gossipsub ranks higher"},
				{Query: "filecoin -bitcoin", Means: "Filecoin posts that do not mention bitcoin"},
				{Query: "ipfs AND (webrtc OR webtransport)", Means: "IPFS together with either transport"},
				{Query: "gateway NOT cloudflare", Means: "the same as gateway -cloudflare"},
			}},
		{ID: "fields", Title: "Fields",
			Intro: "title: looks only in titles. tag:, author: and date: filter: they narrow the results without changing their order. Put a phrase after the colon for several words, or a group in parentheses.",
			Examples: []helpExample{
				{Query: "title:gateway", Means: "gateway in the title"},
				{Query: `tag:filecoin "proof of replication"`, Means: "the phrase, in posts tagged filecoin"},
				{Query: `author:"Rhett Sampson"`, Means: "posts by that author"},
				{Query: "tag:(libp2p OR ipld)", Means: "posts with either tag"},
			}},
		{ID: "dates", Title: "Dates",
			Intro: "date: takes a year, a month or a day, a range with .. (either end may be left open), or a comparison. Both ends of a range are included.",
			Examples: []helpExample{
				{Query: "ipfs date:2018", Means: "posts from 2018"},
				{Query: "date:2018..2019 filecoin", Means: "from the start of 2018 to the end of 2019"},
				{Query: "date:>=2020-01-01 kubo", Means: "from 1 January 2020 on"},
				{Query: "date:<2019-06 ipfs", Means: "before June 2019"},
			}},
		{ID: "modes", Title: "Modes",
			Intro: "The mode parameter says how the text is read. auto (the default) reads the grammar above as soon as the text uses an operator, and plain words otherwise. advanced always reads the grammar and never guesses: no completion of the last word and no automatic spelling correction (a suggestion is still offered). plain reads every character as text, for pasting a sentence full of hyphens, colons and parentheses. A malformed query (an unclosed quote or parenthesis, an unknown field, a date that is no date) is refused with a message that says where; plain never is.",
			Examples: []helpExample{
				{Query: "title:(ipfs OR libp2p) -release", Mode: query.ModeAdvanced, Means: "the grammar, exactly as written"},
				{Query: "IL-6: a (pro-)inflammatory cytokine?", Mode: query.ModePlain, Means: "a pasted sentence, all of it text"},
			}},
	}
}
