package post

import (
	"strings"
	"testing"
	"unicode"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"hello", "hello"},
		{"202012 -bitswap-jump-01", "202012-bitswap-jump-01"},
		{"P2P (Peer to Peer) and Blockchain Have Come of Age", "p2p-peer-to-peer-and-blockchain-have-come-of-age"},
		{"  --Hello__World--  ", "hello-world"},
		{"What's new in go-ipfs 0.4.20?", "whats-new-in-go-ipfs-0-4-20"},
		{"Luca Nizzardo’s thesis", "luca-nizzardos-thesis"},
		{"Frédéric Wang, João Leitão", "frederic-wang-joao-leitao"},
		{"Über Straße", "uber-strasse"},
		{"Łódź Œuvre Þing", "lodz-oeuvre-thing"},
		{"e\u0301te\u0301", "ete"}, // combining accents vanish without splitting the word
		{"IPFS 🚀 launch", "ipfs-launch"},
		{"IPFS 中文 周报", "ipfs"},
		{"日本", "u65e5-u672c"},
		{"Ⅻ", ""}, // a Roman numeral is neither a letter nor a digit
		{"", ""},
		{"!!!", ""},
		{"---", ""},
		{"\u00a0non\u00a0breaking\u200bspace", "non-breaking-space"},
		{strings.Repeat("abcdefghi ", 10), "abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcdefghi"},
		{strings.Repeat("x", 100), strings.Repeat("x", 80)},
		{strings.Repeat("a", 80) + " b", strings.Repeat("a", 80)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Slugify(tt.in)
			if got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got != "" && !ValidSlug(got) {
				t.Errorf("Slugify(%q) = %q, which is not a valid slug", tt.in, got)
			}
		})
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"hello", true},
		{"2023-3-29-ipfs-thing", true},
		{"a", true},
		{"", false},
		{"-a", false},
		{"a-", false},
		{"a--b", false},
		{"A", false},
		{"a_b", false},
		{"é", false},
		{strings.Repeat("a", 80), true},
		{strings.Repeat("a", 81), false},
	}
	for _, tt := range tests {
		if got := ValidSlug(tt.in); got != tt.want {
			t.Errorf("ValidSlug(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Hello, World", "202012 -bitswap-jump-01", "日本", "Straße", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slugify(s)
		if got != "" && !ValidSlug(got) {
			t.Fatalf("Slugify(%q) = %q, not a valid slug", s, got)
		}
		if got == "" && strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			t.Fatalf("Slugify(%q) is empty though the input has a letter or digit", s)
		}
		if Slugify(got) != got {
			t.Fatalf("Slugify is not idempotent: %q -> %q -> %q", s, got, Slugify(got))
		}
	})
}

func TestTitleKey(t *testing.T) {
	for title, want := range map[string]string{
		"Scaling blockchains with hierarchical consensus": "scalingblockchainswithhierarchicalconsensus",
		"scaling-blockchains-with-hierarchical-consensus": "scalingblockchainswithhierarchicalconsensus",
		"Gossipsub: an attack-resilient protocol":         "gossipsubanattackresilientprotocol",
		"Café & crème, Protocol Labs' news":               "cafecremeprotocollabsnews",
		"¿?!":                                             "",
	} {
		if got := TitleKey(title); got != want {
			t.Errorf("TitleKey(%q) = %q, want %q", title, got, want)
		}
	}
}
