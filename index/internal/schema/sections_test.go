package schema

import (
	"encoding/json"
	"fmt"
	"testing"
)

// DecodeSections must read what json.Marshal writes for sections exactly
// as encoding/json does.
func TestDecodeSections(t *testing.T) {
	tests := [][]Section{
		nil,
		{},
		{{Start: 0}},
		{{Heading: "Intro", Anchor: "intro", Start: 0}, {Heading: "Why p2p?", Anchor: "why-p2p", Start: 1234}},
		{{Heading: `Say "hi" \ bye`, Anchor: "say-hi-bye", Start: 7}},
		{{Heading: "<script>&", Anchor: "script", Start: 9}},
		{{Heading: "Überblick 日本語 🌳", Anchor: "überblick", Start: 42}, {Start: 50}},
		{{Anchor: "only-anchor", Start: 3}, {Heading: "only heading", Start: 4}},
	}
	for i, secs := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			b, err := json.Marshal(secs)
			if err != nil {
				t.Fatal(err)
			}
			checkSections(t, string(b))
		})
	}
	for _, raw := range []string{"", "null", "[", "[{}]", `[{"s":1,"x":2}]`, `[{"s":"1"}]`, `[{"h":"a"}]`, "[] ", `[{"s":1}`, `[{"s":-3}]`} {
		t.Run(raw, func(t *testing.T) { checkSections(t, raw) })
	}
}

func checkSections(t *testing.T, raw string) {
	t.Helper()
	var want []Section
	wantErr := json.Unmarshal([]byte(raw), &want)
	got, err := DecodeSections(raw)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("DecodeSections(%q) error = %v, encoding/json says %v", raw, err, wantErr)
	}
	if err == nil && fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("DecodeSections(%q)\n got  %#v\n want %#v", raw, got, want)
	}
}

func FuzzDecodeSections(f *testing.F) {
	for _, s := range []string{`[{"h":"Intro","a":"intro","s":0},{"s":15}]`, `[]`, `null`, `[{"s":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { checkSections(t, raw) })
}
