package web

import (
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/qlang"
)

// apiQuery is the query as the index read it, so a researcher sees what
// ran: the mode, the canonical form, the tree, and every word the search
// widened (synonyms, last-word completions, spelling corrections).
type apiQuery struct {
	Text       string         `json:"text"`
	Mode       qlang.Mode     `json:"mode"`
	Asked      qlang.Mode     `json:"asked"`
	Parsed     string         `json:"parsed"`
	Tree       *qlang.Tree    `json:"tree,omitempty"`
	Expansions []apiExpansion `json:"expansions"`
}

type apiExpansion struct {
	Text string   `json:"text"`
	Kind string   `json:"kind"` // synonym, prefix or correction
	Into []string `json:"into"`
}

func newAPIQuery(p searchParams, res *index.Result) apiQuery {
	q := apiQuery{Text: p.Query, Mode: qlang.Mode(p.Mode), Asked: qlang.Mode(p.Mode), Expansions: []apiExpansion{}}
	if e := res.Parsed; e != nil {
		q.Mode, q.Asked, q.Parsed, q.Tree = e.Mode, e.Asked, e.Parsed, e.Tree
	}
	for _, x := range res.Expansions {
		q.Expansions = append(q.Expansions, apiExpansion{Text: x.Text, Kind: x.Kind, Into: orEmpty(x.Into)})
	}
	return q
}
