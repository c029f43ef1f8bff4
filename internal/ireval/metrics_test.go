package ireval

import (
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMetrics(t *testing.T) {
	rel := map[string]int{"a": 1, "b": 1}
	tests := []struct {
		name                  string
		ranked                []string
		ndcg, recall100, aveP float64
	}{
		{"perfect", []string{"a", "b", "x"}, 1, 1, 1},
		{"second and third", []string{"x", "a", "b"}, (1/math.Log2(3) + 1/math.Log2(4)) / (1 + 1/math.Log2(3)), 1, (1.0/2 + 2.0/3) / 2},
		{"one found", []string{"x", "y", "a"}, (1 / math.Log2(4)) / (1 + 1/math.Log2(3)), 0.5, (1.0 / 3) / 2},
		{"none", []string{"x"}, 0, 0, 0},
		{"empty run", nil, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ndcg(tt.ranked, rel, 10); !near(got, tt.ndcg) {
				t.Errorf("ndcg = %v, want %v", got, tt.ndcg)
			}
			if got := recall(tt.ranked, rel, 100); !near(got, tt.recall100) {
				t.Errorf("recall = %v, want %v", got, tt.recall100)
			}
			if got := averagePrecision(tt.ranked, rel); !near(got, tt.aveP) {
				t.Errorf("AP = %v, want %v", got, tt.aveP)
			}
		})
	}
}

func TestRelevantBeyondTenCountsOnlyForRecallAndMAP(t *testing.T) {
	ranked := append(strings.Split("a b c d e f g h i j", " "), "rel")
	rel := map[string]int{"rel": 1}
	if got := ndcg(ranked, rel, 10); got != 0 {
		t.Errorf("ndcg@10 = %v, want 0", got)
	}
	if got := recall(ranked, rel, 100); got != 1 {
		t.Errorf("recall@100 = %v, want 1", got)
	}
	if got := averagePrecision(ranked, rel); !near(got, 1.0/11) {
		t.Errorf("AP = %v, want 1/11", got)
	}
}

func TestEvaluateAveragesJudgedQueries(t *testing.T) {
	qrels := Qrels{"1": {"a": 1}, "2": {"b": 1}}
	got := Evaluate(map[string][]string{"1": {"a"}, "3": {"b"}}, qrels)
	if got.Queries != 2 || !near(got.NDCG10, 0.5) || !near(got.MAP, 0.5) || !near(got.Recall100, 0.5) {
		t.Errorf("Evaluate = %+v, want 2 queries at 0.5 each", got)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		DocsFile:    {Data: []byte(`{"id":"4983","title":"T","text":"x"}` + "\n" + `{"id":"31715818","title":"U","text":"y"}` + "\n")},
		QueriesFile: {Data: []byte(`{"id":"1","text":"0-dimensional biomaterials show inductive properties."}` + "\n")},
		QrelsFile:   {Data: []byte("query-id\tcorpus-id\tscore\n1\t31715818\t1\n")},
	}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Docs) != 2 || c.Docs[1].ID != "31715818" || len(c.Queries) != 1 || c.Qrels["1"]["31715818"] != 1 {
		t.Errorf("Load = %+v, want 2 docs with string ids, 1 query, 1 judgment", c)
	}
}

func TestLoadNamesTheBadLine(t *testing.T) {
	fsys := fstest.MapFS{DocsFile: {Data: []byte(`{"id":"1"}` + "\n" + `{"id":` + "\n")}}
	_, err := Load(fsys)
	if err == nil || !strings.Contains(err.Error(), "docs.jsonl:2") {
		t.Errorf("Load = %v, want an error naming docs.jsonl:2", err)
	}
}
