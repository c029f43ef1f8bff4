package bm25f

// The query the ranking scores: the planner (index/internal/qplan) turns
// what the reader typed into groups, one per word or phrase meant, each
// with its alternatives, and units, the "has all the words" test the
// tiers are decided by.

// Alt is one way a group can occur in a post: one stem, or stems at
// given relative positions (a phrase).
type Alt struct {
	Terms  []string
	Gaps   []int
	Weight float64 // how much an occurrence counts, 1 for the word itself
	Label  string  // what it stands for, for the query echo
}

// Phrase says whether a is a phrase: stems at given gaps.
func (a Alt) Phrase() bool { return len(a.Terms) > 1 }

// Group is one thing the reader asked for, scored as one BM25 term.
type Group struct {
	Fields []string // the fields it is looked for in
	Alts   []Alt
	Weight float64 // how many times the query asks for it
	// Excluded says the query only asks for the group not to occur
	// ("-word", "NOT word"): snippets and articles do not mark it.
	Excluded bool
}

// Unit is a piece of the "has all the words" test: a group, or all or any
// of its parts. Its fields are unexported because Query.MarshalJSON
// prints the units with fmt, which would allocate for every exported
// field it looks at, on every search (a cursor's signature).
type Unit struct {
	op    byte // 'g' group, '&' all, '|' any
	group int
	parts []Unit
}

// GroupUnit holds when the post holds group gi.
func GroupUnit(gi int) Unit { return Unit{op: 'g', group: gi} }

// AllOf holds when every part does.
func AllOf(parts []Unit) Unit { return Unit{op: '&', parts: parts} }

// AnyOf holds when any part does.
func AnyOf(parts []Unit) Unit { return Unit{op: '|', parts: parts} }

// PhraseSlots lays the stems out by position; a stop word's slot stays
// empty and matches any word, as in bleve's own match_phrase.
func PhraseSlots(a Alt) [][]string {
	slots := make([][]string, a.Gaps[len(a.Gaps)-1]+1)
	for i, t := range a.Terms {
		slots[a.Gaps[i]] = append(slots[a.Gaps[i]], t)
	}
	return slots
}
