package post

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  error
	}{
		{"2006-01-02", day(2006, 1, 2), nil},
		{"2023-3-29", day(2023, 3, 29), nil},
		{" 2023-04-06 ", day(2023, 4, 6), nil},
		{"2024-02-29", day(2024, 2, 29), nil},
		// Offsets and zones are dropped: the wall clock is the author's day.
		{"2019-12-30T08:30:00+01:00", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2019-12-30T08:30:00.123456789-05:30", time.Date(2019, 12, 30, 8, 30, 0, 123456789, time.UTC), nil},
		{"2019-12-30T08:30:00Z", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2019-12-30t08:30:00z", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2016-05-18 21:35:27 -0700", time.Date(2016, 5, 18, 21, 35, 27, 0, time.UTC), nil},
		{"2016-05-18 23:59:00 PST", time.Date(2016, 5, 18, 23, 59, 0, 0, time.UTC), nil},
		{"2016-05-18T23:59:00+0530", time.Date(2016, 5, 18, 23, 59, 0, 0, time.UTC), nil},
		{"2016-05-18 23:59:00 Europe/Berlin", time.Date(2016, 5, 18, 23, 59, 0, 0, time.UTC), nil},
		{"2019-11-07 10:00", time.Date(2019, 11, 7, 10, 0, 0, 0, time.UTC), nil},
		{"2019-11-07T10:00", time.Date(2019, 11, 7, 10, 0, 0, 0, time.UTC), nil},
		{"2019-11-07 10:00 PM", time.Date(2019, 11, 7, 22, 0, 0, 0, time.UTC), nil},
		{"2019/11/07", day(2019, 11, 7), nil},
		{"Nov 7, 2019", day(2019, 11, 7), nil},
		{"November 7, 2019", day(2019, 11, 7), nil},
		{"7 November 2019", day(2019, 11, 7), nil},
		{"Thu, 07 Nov 2019 23:30:00 -0800", time.Date(2019, 11, 7, 23, 30, 0, 0, time.UTC), nil},
		{"Thu, 07 Nov 2019 23:30:00 GMT", time.Date(2019, 11, 7, 23, 30, 0, 0, time.UTC), nil},
		{"Nov 31, 2019", time.Time{}, errImpossibleDate},
		{"2019-11-07 zone", time.Time{}, errNotDate},
		{"2019-11-07T10:00:00 not a zone at all", time.Time{}, errNotDate},
		{"2019-12-30T08:30:00", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2019-12-30 08:30:00", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2019-12-30 08:30:00 -0700", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2019-12-30 08:30:00 +0000 UTC", time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC), nil},
		{"2001-12-14 21:59:43.10", time.Date(2001, 12, 14, 21, 59, 43, 1e8, time.UTC), nil},
		{"2023-02-30", time.Time{}, errImpossibleDate},
		{"2023-2-29", time.Time{}, errImpossibleDate},
		{"2023-13-01", time.Time{}, errImpossibleDate},
		{"2023-00-10", time.Time{}, errImpossibleDate},
		{"2023-01-02T25:00:00Z", time.Time{}, errImpossibleDate},
		{"", time.Time{}, errNotDate},
		{"yesterday", time.Time{}, errNotDate},
		{"29/03/2023", time.Time{}, errNotDate},
		{"2023-03", time.Time{}, errNotDate},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDate(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("parseDate(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("parseDate(%q) = %v, want %v in UTC", tt.in, got, tt.want)
			}
		})
	}
}
