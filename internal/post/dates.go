package post

import (
	"errors"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateError is a constant error type, so the sentinels below need no globals.
type dateError string

func (e dateError) Error() string { return string(e) }

const (
	// errImpossibleDate marks a value shaped like a date that names no real
	// day, such as 2023-02-30 or month 13.
	errImpossibleDate = dateError("not a real date")
	// errNotDate marks a value in none of the accepted layouts.
	errNotDate = dateError("not a date")
)

// isoDate matches the numeric dates generators write: 2019-11-07,
// 2019-11-7, 2019/11/07, each optionally followed by a time (T or a space,
// minutes, optional seconds and fraction) and whatever zone the rest holds.
var isoDate = regexp.MustCompile(`^(\d{4})([-/])(\d{1,2})[-/](\d{1,2})(?:(?:[Tt]| +)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?(.*)$`)

// zoneText matches what may follow a time: an offset (Z, +01:00, -0700,
// +01), a zone abbreviation (PST, CEST, UTC) or an IANA name
// (Europe/Berlin), alone or an offset then a name as Go's time.String
// writes them ("+0000 UTC").
var zoneText = regexp.MustCompile(`^ *(?:[Zz]|[+-]\d{2}(?::?\d{2})?)? *(?:[A-Za-z]{1,6}|[A-Za-z]+/[A-Za-z_/+-]+)?$`)

// wordLayouts are the English-month forms (and RFC 822 as in RSS) that
// Jekyll, WordPress exports and hand-made blogs use. Their zone, if any,
// is dropped like any other: only the wall clock counts.
var wordLayouts = [...]string{
	"Jan 2, 2006",
	"January 2, 2006",
	"Jan 2 2006",
	"January 2 2006",
	"2 Jan 2006",
	"2 January 2006",
	"Jan 2, 2006 15:04",
	"Jan 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006 3:04 PM",
	"Monday, January 2, 2006",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"Mon Jan 2 15:04:05 MST 2006",
	"2 Jan 2006 15:04:05 -0700",
}

// parseDate reads a written date. The result is the wall-clock date and
// time the author wrote, in UTC's location: an offset or zone after it is
// checked for shape and then dropped, so "2016-05-18 21:35:27 -0700" is 18
// May at 21:35 and every page, facet and filter shows the day the author
// meant, not the day it already was in Greenwich.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := isoDate.FindStringSubmatch(s); m != nil {
		return isoWallClock(m)
	}
	for _, layout := range wordLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return wallClock(t), nil
		} else if isRangeError(err) {
			return time.Time{}, errImpossibleDate
		}
	}
	return time.Time{}, errNotDate
}

// isoWallClock builds the time from isoDate's submatches, checking that
// each field is in range and that the rest looks like a zone.
func isoWallClock(m []string) (time.Time, error) {
	rest := strings.TrimSpace(m[9])
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	year, month, day := n(1), n(3), n(4)
	hour, minute, sec := n(5), n(6), n(7)
	switch up := strings.ToUpper(rest); {
	case m[5] == "" && rest != "":
		return time.Time{}, errNotDate // a zone needs a time before it
	case (up == "AM" || up == "PM") && hour >= 1 && hour <= 12:
		hour = hour % 12
		if up == "PM" {
			hour += 12
		}
	case !zoneText.MatchString(rest):
		return time.Time{}, errNotDate
	}
	if !realDay(year, month, day) || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, errImpossibleDate
	}
	return time.Date(year, time.Month(month), day, hour, minute, min(sec, 59), nanos(m[8]), time.UTC), nil
}

// nanos turns the digits after the seconds' decimal point into
// nanoseconds, ignoring digits beyond the ninth.
func nanos(frac string) int {
	frac = (frac + "000000000")[:9]
	v, _ := strconv.Atoi(frac)
	return v
}

func realDay(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() == day
}

// wallClock keeps t's date and clock reading and drops its zone.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// isRangeError tells a well-formed but impossible value ("day out of range")
// from one in the wrong shape.
func isRangeError(err error) bool {
	var pe *time.ParseError
	return errors.As(err, &pe) && strings.Contains(pe.Message, "out of range")
}

// namePrefixDate matches the date Jekyll, Hexo, Zola and Docusaurus put in
// front of a file or bundle folder name: 2019-11-07-slug, 2019-11-7_slug.
var namePrefixDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[-_.]|$)`)

// nameDate reads the date at the start of a file or folder name; ok is
// false when there is none or it names no real day.
func nameDate(name string) (time.Time, bool) {
	m := namePrefixDate.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if !realDay(y, mo, d) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
}

// stripNameDate drops a leading date (and its separator) from a file or
// folder name, unless nothing would be left of it.
func stripNameDate(name string) string {
	loc := namePrefixDate.FindStringIndex(name)
	if loc == nil || loc[1] >= len(name) {
		return name
	}
	return name[loc[1]:]
}

// pathDate finds year/month/day folders in a slash-separated path, as in
// 2019/11/07/slug.md or a Zola path "2019/11/07/slug". Year folders alone
// are not a date.
func pathDate(p string) (time.Time, bool) {
	elems := strings.Split(strings.Trim(path.Clean("/"+p), "/"), "/")
	for i := 0; i+2 < len(elems); i++ {
		y, mo, d := elems[i], elems[i+1], elems[i+2]
		if len(y) != 4 || len(mo) < 1 || len(mo) > 2 || len(d) < 1 || len(d) > 2 {
			continue
		}
		yy, e1 := strconv.Atoi(y)
		mm, e2 := strconv.Atoi(mo)
		dd, e3 := strconv.Atoi(d)
		if e1 == nil && e2 == nil && e3 == nil && realDay(yy, mm, dd) {
			return time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}
