package importer

import (
	"strings"
	"time"
)

// dateLayouts are the ways old sites and feeds write dates, most exact
// first. The seed's "September, 20 2018" is among them.
var dateLayouts = []string{
	time.RFC3339Nano,
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC822Z,
	time.RFC822,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006/01/02",
	"January 2, 2006",
	"January 2 2006",
	"January, 2 2006",
	"January, 2, 2006",
	"2 January 2006",
	"2 January, 2006",
	"Jan 2, 2006",
	"Jan 2 2006",
	"2 Jan 2006",
	"Monday, January 2, 2006",
	"Monday, 2 January 2006",
}

// parseDate reads a date written in any of dateLayouts, ignoring case,
// extra spaces and ordinal suffixes ("20th"). Dates without a zone are
// taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = normalizeDate(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func normalizeDate(s string) string {
	words := strings.Fields(strings.TrimSpace(s))
	for i, w := range words {
		words[i] = titleWord(stripOrdinal(w))
	}
	return strings.Join(words, " ")
}

// titleWord writes month and day names as time.Parse wants them
// ("september" -> "September"), leaving other words alone.
func titleWord(w string) string {
	lower := strings.ToLower(w)
	trimmed := strings.TrimRight(lower, ",.")
	for _, name := range monthAndDayNames {
		n := strings.ToLower(name)
		if trimmed == n || (len(trimmed) == 3 && strings.HasPrefix(n, trimmed)) {
			return strings.ToUpper(lower[:1]) + lower[1:]
		}
	}
	return w
}

var monthAndDayNames = []string{
	"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}

// stripOrdinal turns "20th," into "20,".
func stripOrdinal(w string) string {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		core := strings.TrimRight(w, ",")
		if len(core) > 2 && strings.HasSuffix(strings.ToLower(core), suf) && isNumeric(core[:len(core)-2]) {
			return core[:len(core)-2] + w[len(core):]
		}
	}
	return w
}
