package qlang

import (
	"strconv"
	"strings"
	"time"
)

// parseDate reads a date: value. A single date covers its whole year, month
// or day; a..b, a.., ..b are ranges; >=, >, <=, < compare.
func parseDate(v string, pos Span) (*DateRange, error) {
	valueAt := pos.End - len([]rune(v))
	d := &DateRange{Pos: pos}
	var err error
	switch {
	case strings.Contains(v, ".."):
		a, b, _ := strings.Cut(v, "..")
		if a == "" && b == "" {
			return nil, errAt(valueAt, "a date range needs at least one end, as in 2018..2019 or 2020..")
		}
		if a != "" {
			if d.From, _, err = period(a, valueAt); err != nil {
				return nil, err
			}
		}
		if b != "" {
			if _, d.To, err = period(b, valueAt+len([]rune(a))+2); err != nil {
				return nil, err
			}
		}
	case strings.HasPrefix(v, ">="):
		d.From, _, err = period(v[2:], valueAt+2)
	case strings.HasPrefix(v, "<="):
		_, d.To, err = period(v[2:], valueAt+2)
	case strings.HasPrefix(v, ">"):
		var last time.Time
		_, last, err = period(v[1:], valueAt+1)
		d.From = last.AddDate(0, 0, 1)
	case strings.HasPrefix(v, "<"):
		var first time.Time
		first, _, err = period(v[1:], valueAt+1)
		d.To = first.AddDate(0, 0, -1)
	default:
		d.From, d.To, err = period(v, valueAt)
	}
	if err != nil {
		return nil, err
	}
	// A bound must print back as a four-digit year: year 1 is also Go's
	// zero time, which means "open" here (the fuzzer found "date:0001.."
	// printing as "date:.."), and ">9999-12-31" would need five digits.
	for _, t := range []time.Time{d.From, d.To} {
		if !t.IsZero() && (t.Year() < minYear || t.Year() > maxYear) {
			return nil, errAt(valueAt, "%q is outside the years %d to %d", v, minYear, maxYear)
		}
	}
	if !d.From.IsZero() && !d.To.IsZero() && d.To.Before(d.From) {
		return nil, errAt(valueAt, "the date range %s ends before it starts", v)
	}
	return d, nil
}

// The years a date may name: four digits that print back as written.
const (
	minYear = 1000
	maxYear = 9999
)

// period reads 2018, 2018-09 or 2018-09-20 (months and days may lack the
// leading zero) and returns its first and last day.
func period(s string, at int) (first, last time.Time, err error) {
	bad := errAt(at, "%q is not a date: write 2018, 2018-09 or 2018-09-20", s)
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return first, last, bad
	}
	if y, err := strconv.Atoi(parts[0]); err == nil && y < minYear {
		return first, last, errAt(at, "%q is outside the years %d to %d", s, minYear, maxYear)
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || i > 0 && (len(p) == 0 || len(p) > 2) {
			return first, last, bad
		}
		nums[i] = n
	}
	switch len(nums) {
	case 1:
		first = time.Date(nums[0], 1, 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(1, 0, -1), nil
	case 2:
		if nums[1] < 1 || nums[1] > 12 {
			return first, last, errAt(at, "%q is not a date: there is no month %d", s, nums[1])
		}
		first = time.Date(nums[0], time.Month(nums[1]), 1, 0, 0, 0, 0, time.UTC)
		return first, first.AddDate(0, 1, -1), nil
	}
	first = time.Date(nums[0], time.Month(nums[1]), nums[2], 0, 0, 0, 0, time.UTC)
	if first.Month() != time.Month(nums[1]) || first.Day() != nums[2] {
		return first, last, errAt(at, "%q is not a real date", s)
	}
	return first, first, nil
}

// datesIn turns the words of a date:(…) group into date ranges.
func datesIn(n Node) error {
	var err error
	conv := func(c Node) Node {
		switch c := c.(type) {
		case *Term:
			d, e := parseDate(c.Text, c.Pos)
			if e != nil {
				if err == nil {
					err = e
				}
				return c
			}
			return d
		case *Phrase:
			if err == nil {
				err = errAt(c.Pos.Start, "date: takes a date such as 2018-09-20, not a phrase")
			}
		}
		return c
	}
	Walk(n, func(n Node, _ bool) {
		switch n := n.(type) {
		case *Group:
			mapNodes(n.Nodes, conv)
		case *And:
			mapNodes(n.Nodes, conv)
		case *Or:
			mapNodes(n.Nodes, conv)
		case *Not:
			n.Node = conv(n.Node)
		case *Must:
			n.Node = conv(n.Node)
		}
	})
	return err
}

func mapNodes(ns []Node, f func(Node) Node) {
	for i, n := range ns {
		ns[i] = f(n)
	}
}
