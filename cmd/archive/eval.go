package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/ireval"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/qlang"
)

// evalDepth is how many hits per query the evaluation reads: MAP is
// computed over the top 1,000, as BEIR does.
const evalDepth = 1000

const evalUsage = `Usage: archive eval -collection DIR [-json]

Measures the search's ranking on a test collection: DIR holds docs.jsonl,
queries.jsonl and qrels.tsv in BEIR's layout, and optionally a
synonyms.yaml. It indexes the documents with the archive's own mapping,
analyzers and scoring, runs every query as a reader's plain text, and prints
nDCG@10, Recall@100 and MAP.

Flags:
`

type evalConfig struct {
	collection string
	json       bool
	indexDir   string
}

func parseEvalFlags(args []string, stderr io.Writer) (*evalConfig, error) {
	fs := commandFlags("archive eval", evalUsage, stderr)
	c := &evalConfig{}
	fs.StringVar(&c.collection, "collection", "", "the test collection folder (required)")
	fs.BoolVar(&c.json, "json", false, `print one JSON object {"ndcg@10":…, "recall@100":…, "map":…, "queries":…}`)
	fs.StringVar(&c.indexDir, "index", "", "where to build the index (default: a temporary folder, removed afterwards)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, &exitError{code: 0}
		}
		return nil, &exitError{code: 2}
	}
	if fs.NArg() > 0 {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("eval: unexpected argument %q (see archive eval -h)", fs.Arg(0))}
	}
	if c.collection == "" {
		return nil, &exitError{code: 2, msg: "eval: -collection DIR is required (see archive eval -h)"}
	}
	return c, nil
}

// evalReport is what eval measured.
type evalReport struct {
	ireval.Scores
	Docs     int
	Build    time.Duration
	Searches time.Duration
}

// runEval is the eval subcommand; it reads none of the archive's own
// settings, only its flags.
func runEval(ctx context.Context, _ *config, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseEvalFlags(args, stderr)
	if err != nil {
		return err
	}
	rep, err := evaluate(ctx, cfg)
	if err != nil {
		return &exitError{code: 2, msg: "eval: " + err.Error()}
	}
	if cfg.json {
		return json.NewEncoder(stdout).Encode(rep.Scores)
	}
	fmt.Fprintf(stdout, "%s: %d documents, %d queries (index built in %.1fs, searched in %.1fs)\n",
		cfg.collection, rep.Docs, rep.Queries, rep.Build.Seconds(), rep.Searches.Seconds())
	fmt.Fprintf(stdout, "nDCG@10     %.4f\nRecall@100  %.4f\nMAP         %.4f\n", rep.NDCG10, rep.Recall100, rep.MAP)
	return nil
}

func evaluate(ctx context.Context, cfg *evalConfig) (*evalReport, error) {
	fsys := os.DirFS(cfg.collection)
	col, err := ireval.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.collection, err)
	}
	syn, err := post.LoadSynonyms(fsys, post.SynonymsFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.collection, err)
	}
	dir := cfg.indexDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "archive-eval-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	}
	ix, built, err := buildCollection(ctx, dir, cfg.collection, col.Docs, syn)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	start := time.Now()
	runs := make(map[string][]string, len(col.Queries))
	for _, q := range col.Queries {
		if runs[q.ID], err = rankAll(ctx, ix, q.Text); err != nil {
			return nil, fmt.Errorf("query %s: %w", q.ID, err)
		}
	}
	return &evalReport{Scores: ireval.Evaluate(runs, col.Qrels), Docs: len(col.Docs), Build: built, Searches: time.Since(start)}, nil
}

// buildCollection indexes the documents through the archive's build path
// and opens the result.
func buildCollection(ctx context.Context, dir, name string, docs []ireval.Doc, syn []post.SynonymGroup) (*index.Index, time.Duration, error) {
	store, err := index.NewStore(dir)
	if err != nil {
		return nil, 0, err
	}
	idocs := make([]index.Doc, len(docs))
	for i, d := range docs {
		idocs[i] = index.Doc{ID: d.ID, Title: d.Title, Text: d.Text}
	}
	iw, err := store.LockWriter()
	if err != nil {
		return nil, 0, err
	}
	defer iw.Release()
	rep, err := iw.BuildDocs(ctx, idocs, index.BuildOptions{ContentDir: name})
	if err != nil {
		return nil, 0, err
	}
	ix, err := index.Open(store, nil, index.WithSynonyms(syn))
	if err != nil {
		return nil, 0, err
	}
	return ix, rep.Took, nil
}

// errDeepEnough stops a scan once evalDepth hits are read.
var errDeepEnough = errors.New("deep enough")

// rankAll returns the ids of the top evalDepth hits for text read as
// plain words.
func rankAll(ctx context.Context, ix *index.Index, text string) ([]string, error) {
	var ids []string
	err := ix.Scan(ctx, index.Request{Query: text, Mode: qlang.ModePlain}, func(res *index.Result) error {
		for _, h := range res.Hits {
			if ids = append(ids, h.Slug); len(ids) == evalDepth {
				return errDeepEnough
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDeepEnough) {
		return nil, err
	}
	return ids, nil
}
