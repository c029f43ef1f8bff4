package qlang

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, text string
		mode       Mode
		want       string // canonical form
		wantMode   Mode
	}{
		{"plain words, last is a prefix", "ipfs gateway", ModeAuto, "ipfs gateway*", ModePlain},
		{"short last word is no prefix", "ipfs go", ModeAuto, "ipfs go", ModePlain},
		{"hyphens and colons at the end are text", "peer-to-peer Note:", ModeAuto, "peer-to-peer Note\\:*", ModePlain},
		{"a URL is text", "https://ipfs.io docs", ModeAuto, "https\\://ipfs.io docs*", ModePlain},
		{"a lone dash is text", "ipfs - filecoin", ModeAuto, "ipfs - filecoin*", ModePlain},
		{"plain keeps operators as text", `"0-dimensional (biomaterials) AND x:y -z`, ModePlain,
			`\"0-dimensional \(biomaterials\) \AND x\:y \-z`, ModePlain},
		{"phrase switches to the grammar", `"tron buying bittorrent" p2p`, ModeAuto, `"tron buying bittorrent" p2p*`, ModeAdvanced},
		{"advanced has no implicit prefix", "ipfs gateway", ModeAdvanced, "ipfs gateway", ModeAdvanced},
		{"explicit prefix", "filec*", ModeAdvanced, "filec*", ModeAdvanced},
		{"must and not", "+filecoin -bitcoin storage", ModeAuto, "+filecoin -bitcoin storage*", ModeAdvanced},
		{"excluded last word is no prefix", "filecoin -bitcoin", ModeAuto, "filecoin -bitcoin", ModeAdvanced},
		{"AND binds tighter than OR", "a AND b OR c", ModeAdvanced, "a AND b OR c", ModeAdvanced},
		{"parentheses group OR under AND", "(ipfs OR libp2p) AND gateway", ModeAdvanced, "(ipfs OR libp2p) AND gateway", ModeAdvanced},
		{"NOT", "ipfs NOT bitcoin", ModeAdvanced, "ipfs -bitcoin", ModeAdvanced},
		{"AND NOT", "ipfs AND NOT bitcoin", ModeAdvanced, "ipfs AND -bitcoin", ModeAdvanced},
		{"single parens unwrap", "((ipfs))", ModeAdvanced, "ipfs", ModeAdvanced},
		{"group kept", "(ipfs gateway) filecoin", ModeAdvanced, "(ipfs gateway) filecoin", ModeAdvanced},
		{"fields", `title:ipfs tag:filecoin author:"Rhett Sampson"`, ModeAdvanced, `title:ipfs tag:filecoin author:"Rhett Sampson"`, ModeAdvanced},
		{"field names ignore case", "Title:IPFS", ModeAdvanced, "title:IPFS", ModeAdvanced},
		{"field over a group", "title:(ipfs OR filecoin)", ModeAdvanced, "title:ipfs OR title:filecoin", ModeAdvanced},
		{"title word ending the text is a prefix in auto", "title:filec", ModeAuto, "title:filec*", ModeAdvanced},
		{"tag word ending the text is not", "tag:filec", ModeAuto, "tag:filec", ModeAdvanced},
		{"year", "date:2018", ModeAdvanced, "date:2018-01-01..2018-12-31", ModeAdvanced},
		{"month", "date:2018-2", ModeAdvanced, "date:2018-02-01..2018-02-28", ModeAdvanced},
		{"year range", "date:2018..2019", ModeAdvanced, "date:2018-01-01..2019-12-31", ModeAdvanced},
		{"open range", "date:2020-03..", ModeAdvanced, "date:2020-03-01..", ModeAdvanced},
		{"at least", "date:>=2020-01-01", ModeAdvanced, "date:2020-01-01..", ModeAdvanced},
		{"after", "date:>2019", ModeAdvanced, "date:2020-01-01..", ModeAdvanced},
		{"before", "date:<2019", ModeAdvanced, "date:..2018-12-31", ModeAdvanced},
		{"at most", "date:<=2019-06", ModeAdvanced, "date:..2019-06-30", ModeAdvanced},
		{"dates in a group", "date:(2018 OR 2020)", ModeAdvanced, "date:2018-01-01..2018-12-31 OR date:2020-01-01..2020-12-31", ModeAdvanced},
		{"escapes", `c\+\+ \(draft\) \AND`, ModeAdvanced, `c++ \(draft\) \AND`, ModeAdvanced},
		{"escaped quote in a phrase", `"say \"hi\""`, ModeAdvanced, `"say \"hi\""`, ModeAdvanced},
		{"curly quotes", "“peer to peer”", ModeAuto, `"peer to peer"`, ModeAdvanced},
		{"negated group", "-(bitcoin OR ethereum)", ModeAdvanced, "-(bitcoin OR ethereum)", ModeAdvanced},
		{"empty", "   ", ModeAuto, "", ModePlain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.text, tt.mode)
			if err != nil {
				t.Fatalf("Parse(%q, %s): %v", tt.text, tt.mode, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Parse(%q, %s) = %s, want %s", tt.text, tt.mode, got, tt.want)
			}
			if q.Mode != tt.wantMode {
				t.Errorf("mode = %s, want %s", q.Mode, tt.wantMode)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text string
		mode       Mode
		offset     int
		msg        string
	}{
		{"unclosed quote", `ipfs "peer to`, ModeAuto, 5, "never closed"},
		{"unclosed parenthesis", "(ipfs OR filecoin", ModeAuto, 0, "never closed"},
		{"stray closing parenthesis", "ipfs)", ModeAuto, 4, "no ( to close"},
		{"empty parentheses", "ipfs ()", ModeAdvanced, 5, "empty parentheses"},
		{"unknown field", "ipfs titel:gateway", ModeAuto, 5, `unknown field "titel"`},
		{"field without value", "title: ipfs", ModeAuto, 0, "needs a value"},
		{"OR without left side", "OR ipfs", ModeAdvanced, 0, "before it"},
		{"AND without right side", "ipfs AND", ModeAdvanced, 5, "after it"},
		{"NOT at the end", "ipfs NOT", ModeAdvanced, 5, "after it"},
		{"bad date", "date:2018-13", ModeAuto, 5, "no month 13"},
		{"not a real day", "ipfs date:2019-02-30", ModeAuto, 10, "not a real date"},
		{"date words", "date:yesterday", ModeAuto, 5, "not a date"},
		{"reversed range", "date:2020..2018", ModeAuto, 5, "ends before it starts"},
		{"bad range end", "date:2018..20x", ModeAuto, 11, "not a date"},
		{"empty range", "date:..", ModeAuto, 5, "at least one end"},
		{"date phrase", `date:"2018"`, ModeAuto, 5, "not a phrase"},
		{"nested field", "title:(tag:x)", ModeAdvanced, 7, "nested"},
		{"star alone", "a*", ModeAdvanced, 0, "two letters"},
		{"empty quotes", `ipfs ""`, ModeAdvanced, 5, "empty quotes"},
		{"too deep", strings.Repeat("(", MaxDepth+2) + "x" + strings.Repeat(")", MaxDepth+2), ModeAdvanced, MaxDepth + 1, "deep"},
		{"offsets count characters", "ünïcödé \"x", ModeAuto, 8, "never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.text, tt.mode)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) = %v, %v; want a *query.Error", tt.text, q, err)
			}
			if qe.Offset != tt.offset || !strings.Contains(qe.Msg, tt.msg) {
				t.Errorf("Parse(%q) error at %d %q, want at %d containing %q", tt.text, qe.Offset, qe.Msg, tt.offset, tt.msg)
			}
		})
	}
}

func TestPlainNeverFails(t *testing.T) {
	for _, text := range []string{`"(`, `title: date:2018-13 )`, `AND OR NOT`, "a*"} {
		if _, err := Parse(text, ModePlain); err != nil {
			t.Errorf("Parse(%q, plain) = %v, want no error", text, err)
		}
	}
}

func TestSpans(t *testing.T) {
	q, err := Parse(`ipfs title:"peer to peer" -bitcoin`, ModeAdvanced)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Walk(q.Root, func(n Node, _ bool) {
		if _, ok := n.(*Group); ok {
			return
		}
		got = append(got, string([]rune(q.Text)[n.Span().Start:n.Span().End]))
	})
	want := []string{"ipfs", `title:"peer to peer"`, "-bitcoin", "bitcoin"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans cover %q, want %q", got, want)
	}
}

func TestEcho(t *testing.T) {
	q, err := Parse(`+title:ipfs date:2018..2019`, ModeAuto)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(q.Echo())
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"mode":"advanced"`, `"asked":"auto"`, `"parsed":"+title:ipfs date:2018-01-01..2019-12-31"`,
		`"op":"must"`, `"op":"term","field":"title","text":"ipfs"`, `"op":"date","field":"date","from":"2018-01-01","to":"2019-12-31"`} {
		if !strings.Contains(got, want) {
			t.Errorf("echo = %s, want it to contain %s", got, want)
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeAuto, "auto": ModeAuto, "advanced": ModeAdvanced, "plain": ModePlain} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseMode("fuzzy"); err == nil {
		t.Error(`ParseMode("fuzzy") succeeded, want an error`)
	}
}
