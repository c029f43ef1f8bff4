package facet

import (
	"fmt"
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	tests := []struct {
		name        string
		iv          Interval
		first, last string
		want        string
	}{
		{"years", IntervalYear, "2016-05-01T00:00:00Z", "2018-01-01T00:00:00Z", "[2016 2017 2018]"},
		{"one year", IntervalYear, "2016-05-01T00:00:00Z", "2016-05-01T00:00:00Z", "[2016]"},
		{"months over a new year", IntervalMonth, "2016-11-30T23:00:00Z", "2017-02-01T00:00:00Z", "[2016-11 2016-12 2017-01 2017-02]"},
		{"other zones are UTC", IntervalYear, "2017-01-01T00:30:00+01:00", "2017-01-01T00:30:00+01:00", "[2016]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var names []string
			ps := Periods(tt.iv, day(tt.first), day(tt.last))
			for i, p := range ps {
				names = append(names, p.Name)
				if i > 0 && !p.Start.Equal(ps[i-1].End) {
					t.Errorf("gap between %s and %s", ps[i-1].Name, p.Name)
				}
			}
			if got := fmt.Sprint(names); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
