// Package ireval measures ranking quality the way information retrieval
// research does: it reads a test collection (documents, queries and
// relevance judgments in the BEIR layout) and scores ranked result lists
// with nDCG@10, Recall@100 and MAP, as trec_eval defines them.
package ireval
