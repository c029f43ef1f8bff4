package post

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadSynonyms(t *testing.T) {
	fsys := fstest.MapFS{SynonymsFile: {Data: []byte("# vocabulary\n- [p2p, peer-to-peer, \"peer  to peer\"]\n- [ipfs, InterPlanetary File System]\n")}}
	got, err := LoadSynonyms(fsys, SynonymsFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || strings.Join(got[0].Terms, "|") != "p2p|peer-to-peer|peer to peer" || got[1].Line != 3 {
		t.Errorf("LoadSynonyms = %+v, want two groups, the second on line 3", got)
	}
}

func TestLoadSynonymsMissingFile(t *testing.T) {
	got, err := LoadSynonyms(fstest.MapFS{}, SynonymsFile)
	if err != nil || got != nil {
		t.Errorf("LoadSynonyms(no file) = %v, %v; want nil, nil", got, err)
	}
}

func TestLoadSynonymsProblems(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"not a list", "p2p: peer-to-peer\n", 1, "must be a list"},
		{"group not a list", "- p2p\n", 1, "must be a list of words"},
		{"one entry", "- [p2p, peer-to-peer]\n- [dapp]\n", 2, "at least two"},
		{"entry in two groups", "- [p2p, peer-to-peer]\n- [P2P, p2p network]\n", 2, "already in the group on line 1"},
		{"nested list", "- [p2p, [x]]\n", 1, "word or phrase"},
		{"bad yaml", "- [p2p\n", 0, "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSynonyms(fstest.MapFS{SynonymsFile: {Data: []byte(tt.data)}}, SynonymsFile)
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("LoadSynonyms = %v, want a *Problem", err)
			}
			if p.Line != tt.line || !strings.Contains(p.Msg, tt.msg) || p.File != SynonymsFile {
				t.Errorf("problem = %s, want %s:%d containing %q", p, SynonymsFile, tt.line, tt.msg)
			}
		})
	}
}
