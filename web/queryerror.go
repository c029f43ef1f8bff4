package web

// queryWhere is a malformed query cut at the character where it goes
// wrong, so the error page can point at it.
type queryWhere struct {
	Before, At, After string
}

// whereIn cuts q at pos (a character offset); nil without a position. At
// the very end, At is a space, so the mark still shows.
func whereIn(q string, pos *int) *queryWhere {
	if pos == nil {
		return nil
	}
	rs := []rune(q)
	i := min(max(*pos, 0), len(rs))
	w := &queryWhere{Before: string(rs[:i]), At: " "}
	if i < len(rs) {
		w.At, w.After = string(rs[i]), string(rs[i+1:])
	}
	return w
}
