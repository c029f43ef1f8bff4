package post

import (
	"errors"
	"strings"
	"time"
)

// dateLayouts are tried in order. Go's parser accepts fractional seconds
// after the seconds field even when a layout does not mention them, and
// "2006-1-2" accepts padded as well as unpadded numbers.
var dateLayouts = [...]string{
	"2006-1-2",
	time.RFC3339Nano,
	"2006-1-2T15:4:5Z07:00",
	"2006-1-2t15:4:5Z07:00",
	"2006-1-2T15:4:5",
	"2006-1-2 15:4:5",
	"2006-1-2 15:4:5Z07:00",
	"2006-1-2 15:4:5 -0700",
	"2006-1-2 15:4:5 -0700 MST",
	"2006-1-2 15:4:5 -07:00",
}

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

// parseDate reads a front-matter date. Values without a zone are UTC; values
// with one keep their instant and are converted to UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	impossible := false
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t.UTC(), nil
		}
		impossible = impossible || isRangeError(err)
	}
	if impossible {
		return time.Time{}, errImpossibleDate
	}
	return time.Time{}, errNotDate
}

// isRangeError tells a well-formed but impossible value ("day out of range")
// from one in the wrong shape.
func isRangeError(err error) bool {
	var pe *time.ParseError
	return errors.As(err, &pe) && strings.Contains(pe.Message, "out of range")
}
