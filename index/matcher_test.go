package index

import (
	"context"
	"errors"
	"fmt"
	"html"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blust/archive/internal/qlang"
)

// matcherContent is a small archive whose words exercise every way a
// search widens a query: a prefix (filec), a correction on the first
// pass (blockchian, never used) and on the second (blokchain, used once
// beside a dozen posts on blockchains), stems, synonyms and phrases.
func matcherContent() fstest.MapFS {
	fs := fstest.MapFS{
		"storage.md": postMD("Paying for storage", "Filecoin pays miners to keep a file. A file is not a Filecoin deal.\n\n"+
			"Content addressing makes data addressable: content-addressing names data by its hash."),
		"video.md": postMD("Video over the network", "Streaming video over peer-to-peer links; the peers gossip a stream.\n\n"+
			"P2P is peer to peer, and peer review is something else."),
		"typo.md": postMD("A note", "One blokchain, misspelt once, and a ledger."),
	}
	for i := range 12 {
		fs[fmt.Sprintf("chain-%02d.md", i)] = postMD(fmt.Sprintf("Ledger %d", i), fmt.Sprintf("The blockchain ledger number %d records blocks.", i))
	}
	return fs
}

func openMatcherIndex(tb testing.TB) *Index {
	tb.Helper()
	return openWithSynonyms(tb, matcherContent(), []string{"p2p", "peer-to-peer"}, []string{"ipfs", "InterPlanetary File System"})
}

// The article marks exactly what the search matched: completions,
// corrections, stems, synonyms and phrases as a whole, and nothing else.
func TestMatcherMarksWhatTheSearchMatched(t *testing.T) {
	ix := openMatcherIndex(t)
	const storage = "Filecoin pays miners to keep a file. Content addressing makes data addressable: content-addressing names data."
	const video = "Streaming video over peer-to-peer links; the peers gossip a stream. P2P is peer to peer, and peer review is not."
	tests := []struct {
		name      string
		h         Highlight
		text      string
		want      []string
		wantQuery string
	}{
		{"prefix completed", Highlight{Query: "filec"}, storage, []string{"Filecoin"}, "filec"},
		{"prefix and a word", Highlight{Query: "miners filec"}, storage, []string{"Filecoin", "miners"}, "miners filec"},
		{"a word and its completions", Highlight{Query: "file"}, storage, []string{"Filecoin", "file"}, "file"},
		{"corrected", Highlight{Query: "blockchian"}, "A blockchain and its blocks.", []string{"blockchain"}, "blockchain"},
		{"not corrected when literal", Highlight{Query: "blockchian", Literal: true}, "A blockchain and its blocks.", nil, "blockchian"},
		{"corrected on the second pass", Highlight{Query: "blokchain", Corrected: "blockchain"}, "One blokchain, a blockchain.", []string{"blockchain"}, "blockchain"},
		{"second pass not taken", Highlight{Query: "blokchain"}, "One blokchain, a blockchain.", []string{"blokchain"}, "blokchain"},
		{"a stale correction is ignored", Highlight{Query: "blokchain", Corrected: "blackchin"}, "One blokchain, a blockchain.", []string{"blokchain"}, "blokchain"},
		{"stem", Highlight{Query: "stream"}, video, []string{"Streaming", "stream"}, "stream"},
		{"synonym of a word", Highlight{Query: "p2p"}, video, []string{"peer-to-peer", "P2P", "peer to peer"}, "p2p"},
		{"hyphenated synonym marks no lone peers", Highlight{Query: "peer-to-peer"}, video, []string{"peer-to-peer", "P2P", "peer to peer"}, "peer-to-peer"},
		{"quoted synonym phrase", Highlight{Query: `"peer to peer"`}, video, []string{"peer-to-peer", "P2P", "peer to peer"}, `"peer to peer"`},
		{"phrase as a whole", Highlight{Query: `"content addressing"`}, storage, []string{"Content addressing", "content-addressing"}, `"content addressing"`},
		{"unquoted words one by one, stems too", Highlight{Query: "content addressing"}, storage, []string{"Content", "addressing", "addressable", "content", "addressing"}, "content addressing"},
		{"excluded word", Highlight{Query: "filecoin -miners"}, storage, []string{"Filecoin"}, "filecoin -miners"},
		{"word excluded from titles", Highlight{Query: "filecoin -title:miners"}, storage, []string{"Filecoin"}, "filecoin -title:miners"},
		{"excluded and asked for", Highlight{Query: "miners -miners"}, storage, []string{"miners"}, "miners -miners"},
		{"title only", Highlight{Query: "title:filecoin"}, storage, nil, "title:filecoin"},
		{"advanced mode runs words as typed", Highlight{Query: "blockchian", Mode: qlang.ModeAdvanced}, "a blockchain", nil, "blockchian"},
		{"stop words alone", Highlight{Query: "the"}, storage, nil, "the"},
		{"nothing", Highlight{}, storage, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ix.Matcher(context.Background(), tt.h)
			if err != nil {
				t.Fatal(err)
			}
			if got := marked(tt.text, m.Spans(tt.text)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("marks = %q, want %q", got, tt.want)
			}
			if m.Query() != tt.wantQuery {
				t.Errorf("Query() = %q, want %q", m.Query(), tt.wantQuery)
			}
		})
	}
}

func TestMatcherRefusesMalformedQueries(t *testing.T) {
	ix := openMatcherIndex(t)
	_, err := ix.Matcher(context.Background(), Highlight{Query: "title:(a OR", Mode: qlang.ModeAdvanced})
	var qe *qlang.Error
	if !errors.As(err, &qe) {
		t.Errorf("unclosed group: err = %v, want a *query.Error", err)
	}
	_, err = ix.Matcher(context.Background(), Highlight{Query: strings.Repeat("w ", MaxQueryTerms+1)})
	var le *LimitError
	if !errors.As(err, &le) {
		t.Errorf("too many words: err = %v, want a *LimitError", err)
	}
}

// A snippet marks what the article marks: over a post's whole body (one
// snippet as long as the post), the marks are the same, in order, for
// every query and every post it finds.
func TestSnippetsAndMatcherAgree(t *testing.T) {
	ix := openMatcherIndex(t)
	queries := []string{"filec", "blockchian", "blokchain", "stream", "p2p", "peer-to-peer", `"peer to peer"`,
		`"content addressing"`, "content addressing", "filecoin -title:miners", "data OR video", "+file stor", "peer review"}
	for _, q := range queries {
		res := mustSearch(t, ix, Request{Query: q, Size: 20, Fragments: 1, FragmentSize: 1 << 16})
		if res.Total == 0 {
			t.Errorf("%q finds nothing; the test needs hits", q)
			continue
		}
		h := Highlight{Query: q}
		if res.Corrected {
			h.Corrected = res.Suggestion
		}
		m, err := ix.Matcher(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		marks := 0
		for _, hit := range res.Hits {
			if len(hit.Fragments) == 0 {
				continue
			}
			snippet, text := hit.Fragments[0].HTML, plainText(hit.Fragments[0].HTML)
			want := snippetMarks(snippet)
			marks += len(want)
			if got := marked(text, m.Spans(text)); !reflect.DeepEqual(got, want) {
				t.Errorf("%q in %s: article marks %q, snippet marks %q", q, hit.Slug, got, want)
			}
		}
		if marks == 0 {
			t.Errorf("%q: no snippet marks anything; nothing was compared", q)
		}
	}
}

var markRE = regexp.MustCompile(`<mark>(.*?)</mark>`)

func snippetMarks(h string) []string {
	var out []string
	for _, m := range markRE.FindAllStringSubmatch(h, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func plainText(h string) string {
	return html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h))
}

func marked(text string, spans [][2]int) []string {
	var out []string
	for _, sp := range spans {
		out = append(out, text[sp[0]:sp[1]])
	}
	return out
}
