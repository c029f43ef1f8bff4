package ireval

import (
	"math"
	"sort"
)

// Scores are a run's figures, averaged over the judged queries.
type Scores struct {
	NDCG10    float64 `json:"ndcg@10"`
	Recall100 float64 `json:"recall@100"`
	MAP       float64 `json:"map"`
	Queries   int     `json:"queries"`
}

// Evaluate scores ranked lists of document ids, best first, per query id.
// Every query with judgments counts; one missing from runs scores zero.
func Evaluate(runs map[string][]string, qrels Qrels) Scores {
	var s Scores
	for qid, rel := range qrels {
		if len(rel) == 0 {
			continue
		}
		ranked := runs[qid]
		s.NDCG10 += ndcg(ranked, rel, 10)
		s.Recall100 += recall(ranked, rel, 100)
		s.MAP += averagePrecision(ranked, rel)
		s.Queries++
	}
	if s.Queries > 0 {
		n := float64(s.Queries)
		s.NDCG10, s.Recall100, s.MAP = s.NDCG10/n, s.Recall100/n, s.MAP/n
	}
	return s
}

// ndcg is DCG@k over the ideal DCG@k, with the grades as gains.
func ndcg(ranked []string, rel map[string]int, k int) float64 {
	var dcg float64
	for i, id := range ranked[:min(k, len(ranked))] {
		dcg += float64(rel[id]) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(rel))
	for _, g := range rel {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	var ideal float64
	for i, g := range grades[:min(k, len(grades))] {
		ideal += float64(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// recall is the share of relevant documents found in the top k.
func recall(ranked []string, rel map[string]int, k int) float64 {
	found, total := 0, 0
	for _, g := range rel {
		if g > 0 {
			total++
		}
	}
	for _, id := range ranked[:min(k, len(ranked))] {
		if rel[id] > 0 {
			found++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(found) / float64(total)
}

// averagePrecision is the mean of the precision at each relevant
// document's rank; relevant documents never retrieved add zero.
func averagePrecision(ranked []string, rel map[string]int) float64 {
	var sum float64
	found, total := 0, 0
	for _, g := range rel {
		if g > 0 {
			total++
		}
	}
	for i, id := range ranked {
		if rel[id] > 0 {
			found++
			sum += float64(found) / float64(i+1)
		}
	}
	if total == 0 {
		return 0
	}
	return sum / float64(total)
}
