package spell

import "testing"

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"blockchain", "blockchain", 0},
		{"blockchian", "blockchain", 1},
		{"stoarge", "storage", 1},
		{"filecon", "filecoin", 1},
		{"gatway", "gateway", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
	}
	for _, tt := range tests {
		if got := OSADistance(tt.a, tt.b); got != tt.want {
			t.Errorf("OSADistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
