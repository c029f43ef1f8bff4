package vocab

import (
	"fmt"
	"slices"
	"testing"
)

// entries lists a lookup's answer as sorted "word=count" strings.
func entries(t *testing.T) func([]Entry, error) []string {
	return func(es []Entry, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = fmt.Sprintf("%s=%d", e.Word, e.Count)
		}
		slices.Sort(out)
		return out
	}
}

func build(t *testing.T, counts map[string]uint64) *Vocab {
	t.Helper()
	v, data, err := Build(counts)
	if err != nil {
		t.Fatal(err)
	}
	// what is served is what a reopen reads back
	v2, err := Load(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Count("filecoin") != v.Count("filecoin") {
		t.Fatalf("reloaded count %d, built %d", v2.Count("filecoin"), v.Count("filecoin"))
	}
	return v2
}

var base = map[string]uint64{"filecoin": 12, "file": 30, "files": 9, "filter": 4, "blockchain": 7, "blocks": 3, "gone": 0}

func TestLookups(t *testing.T) {
	v := build(t, base)
	tests := []struct {
		name string
		got  func() ([]Entry, error)
		want []string
	}{
		{"prefix", func() ([]Entry, error) { return v.Prefix("fil", 100) }, []string{"file=30", "filecoin=12", "files=9", "filter=4"}},
		{"prefix limit reads base words in order", func() ([]Entry, error) { return v.Prefix("fil", 2) }, []string{"file=30", "filecoin=12"}},
		{"prefix of nothing", func() ([]Entry, error) { return v.Prefix("zz", 100) }, []string{}},
		{"empty prefix", func() ([]Entry, error) { return v.Prefix("", 100) }, []string{"blockchain=7", "blocks=3", "file=30", "filecoin=12", "files=9", "filter=4"}},
		{"one typo", func() ([]Entry, error) { return v.Fuzzy("blockchian", 1, 100) }, []string{"blockchain=7"}},
		{"two typos", func() ([]Entry, error) { return v.Fuzzy("blokchian", 2, 100) }, []string{"blockchain=7"}},
		{"two typos are not one", func() ([]Entry, error) { return v.Fuzzy("blokchian", 1, 100) }, []string{}},
		{"zero-count words are left out", func() ([]Entry, error) { return v.Fuzzy("gone", 1, 100) }, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := entries(t)(tt.got())
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := v.Fuzzy("x", 3, 10); err == nil {
		t.Error("fuzziness 3 was accepted")
	}
}

func TestApply(t *testing.T) {
	v := build(t, base)
	// a post using "filecoin" and "filecoins" was edited to drop both
	// words, and a new post uses "filecoins" and "blocks"
	w := v.Apply(map[string]int64{"filecoin": -1, "blocks": -3, "filecoinz": 1, "filter": -4})
	w = w.Apply(map[string]int64{"filecoinz": 1, "blocks": 1})
	if got := v.Count("blocks"); got != 3 {
		t.Errorf("the original changed: blocks = %d, want 3", got)
	}
	for word, want := range map[string]uint64{"filecoin": 11, "blocks": 1, "filecoinz": 2, "filter": 0, "absent": 0} {
		if got := w.Count(word); got != want {
			t.Errorf("Count(%q) = %d, want %d", word, got, want)
		}
	}
	got := entries(t)(w.Prefix("filec", 100))
	want := []string{"filecoin=11", "filecoinz=2"}
	if !slices.Equal(got, want) {
		t.Errorf("prefix: got %v, want %v", got, want)
	}
	got = entries(t)(w.Fuzzy("filtr", 1, 100))
	if len(got) != 0 {
		t.Errorf("a word no post uses any more was offered: %v", got)
	}
	got = entries(t)(w.Fuzzy("filecoinx", 1, 100))
	want = []string{"filecoin=11", "filecoinz=2"}
	if !slices.Equal(got, want) {
		t.Errorf("fuzzy: got %v, want %v", got, want)
	}

	c, data, err := w.Compact()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Changes()) != 0 {
		t.Errorf("compacted vocabulary still has changes: %v", c.Changes())
	}
	r, err := Load(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"filecoin", "blocks", "filecoinz", "filter", "file", "gone"} {
		if r.Count(word) != w.Count(word) {
			t.Errorf("after compacting, Count(%q) = %d, want %d", word, r.Count(word), w.Count(word))
		}
	}
	// reopening from the base and the changes gives the same counts
	re, err := Load(v.data, w.Changes())
	if err != nil {
		t.Fatal(err)
	}
	if re.Count("filecoinz") != 2 || re.Count("filecoin") != 11 {
		t.Errorf("reloaded with changes: filecoinz=%d filecoin=%d", re.Count("filecoinz"), re.Count("filecoin"))
	}
}

func TestLoadRejectsGarbage(t *testing.T) {
	if _, err := Load([]byte("not a vocabulary at all, not at all"), nil); err == nil {
		t.Error("garbage loaded without an error")
	}
}

func TestEmpty(t *testing.T) {
	v := Empty()
	if v.Count("x") != 0 {
		t.Error("empty vocabulary counts a word")
	}
	got := entries(t)(v.Apply(map[string]int64{"peer": 1}).Prefix("pe", 10))
	if !slices.Equal(got, []string{"peer=1"}) {
		t.Errorf("got %v", got)
	}
	got = entries(t)(v.Apply(map[string]int64{"peer": 1}).Fuzzy("pear", 1, 10))
	if !slices.Equal(got, []string{"peer=1"}) {
		t.Errorf("got %v", got)
	}
}
