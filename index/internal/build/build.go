package build

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/compact"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// BuildOptions says what to index and how.
type BuildOptions struct {
	Content    fs.FS            // the content folder
	ContentDir string           // its path, recorded in the manifest for messages
	Renderer   *render.Renderer // nil means render.New()
	// RenderBudget bounds each post's rendering (zero fields: the
	// defaults); a post over it is indexed from a plain rendering.
	RenderBudget render.Budget
	// Site holds the site's configuration values for {{ site.x }} and
	// {{% param x %}} (site.Site.Values), the same the server renders
	// articles with; nil: their uses are dropped.
	Site map[string]string
	Load post.LoadOptions
	// BatchSize caps the documents per bleve batch; batches are also cut
	// at batchBytes so a folder of huge posts does not balloon memory.
	BatchSize int
	Logger    *slog.Logger
	// Progress, if set, is called after each batch with posts done and total.
	Progress func(done, total int)
}

// Report is the outcome of a build.
type Report struct {
	store.Manifest
	Rejected []*post.Problem // one per post that could not be indexed
	Drafts   []string        // files skipped because they are drafts
	Took     time.Duration
}

const (
	defaultBatchSize = 500
	batchBytes       = 8 << 20
)

// Posts writes already loaded posts into a fresh build and makes it the
// serving one; start is when loading began, for the build's recorded
// duration. Rejected posts are reported, not fatal: the others are
// indexed. A failure (I/O, cancellation) removes the half-made build and
// leaves the previous one serving.
func Posts(ctx context.Context, st *store.Store, loaded *post.Result, opts BuildOptions, start time.Time) (*Report, error) {
	return commitNewBuild(st, func(id string) (*Report, error) {
		return fill(ctx, st, id, loaded, opts, start)
	})
}

// commitNewBuild makes a fresh build with fill, which writes its documents
// and manifest, and makes it the serving one; on a failure the half-made
// build is removed and the previous one keeps serving. Every full build
// goes through it: a content folder's (Posts) and a test collection's
// (Docs).
func commitNewBuild(st *store.Store, fill func(id string) (*Report, error)) (*Report, error) {
	id, lk, err := st.NewBuild()
	if err != nil {
		return nil, err
	}
	defer lk.Release()
	rep, err := fill(id)
	if err != nil {
		os.RemoveAll(st.BuildPath(id))
		return nil, err
	}
	store.FaultPoint(st, "current")
	if err := st.Commit(id); err != nil {
		os.RemoveAll(st.BuildPath(id))
		return nil, err
	}
	lk.Release()
	st.Cleanup()
	return rep, nil
}

// WithDefaults fills in what o leaves unset.
func (o BuildOptions) WithDefaults() BuildOptions {
	if o.Renderer == nil {
		o.Renderer = render.New()
	}
	if o.BatchSize <= 0 {
		o.BatchSize = store.FaultBatchSize(defaultBatchSize)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// writeBuild creates build id's bleve index and bodies file, has write
// fill them, merges the index into one segment and closes both.
func writeBuild(ctx context.Context, st *store.Store, id string, write func(bleve.Index, *bodies.File) error) error {
	m, err := schema.NewMapping()
	if err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	bf, err := bodies.Create(st.BodiesPath(id))
	if err != nil {
		return fmt.Errorf("create build %s: %w", id, err)
	}
	defer bf.Close()
	idx, err := bleve.NewUsing(st.BlevePath(id), m, scorch.Name, scorch.Name, freshBuildConfig())
	if err != nil {
		return fmt.Errorf("create build %s: %w", id, err)
	}
	defer compact.TakeErrors(st.BlevePath(id)) // after the close below
	store.FaultPoint(st, "batches")
	werr := write(idx, bf)
	if werr == nil {
		werr = bf.Sync() // before the build can become current
	}
	if werr == nil {
		store.FaultPoint(st, "merge")
		werr = compact.Build(ctx, idx, st.BlevePath(id))
	}
	if cerr := idx.Close(); werr == nil && cerr != nil {
		werr = fmt.Errorf("close build %s: %w", id, cerr)
	}
	return werr
}

// fill writes every loaded post into the new build and seals it with its
// manifest. The build is not yet serving when this returns.
func fill(ctx context.Context, st *store.Store, id string, loaded *post.Result, opts BuildOptions, start time.Time) (*Report, error) {
	var indexed []*post.Post
	var bad []*post.Problem
	var tot *totals
	err := writeBuild(ctx, st, id, func(idx bleve.Index, bf *bodies.File) (err error) {
		indexed, bad, tot, err = writeAll(ctx, idx, bf, loaded.Posts, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	if tot.vocabName, err = buildVocab(st.BuildPath(id), tot.words); err != nil {
		return nil, fmt.Errorf("build %s: %w", id, err)
	}
	rejected := append(append([]*post.Problem(nil), loaded.Problems...), bad...)
	post.SortProblems(rejected)
	rep := &Report{
		Manifest: store.Manifest{
			ID:             id,
			BuiltAt:        time.Now().UTC(),
			MappingVersion: schema.MappingVersion,
			ContentDir:     opts.ContentDir,
			Fingerprint:    fingerprint(indexed),
			Posts:          len(indexed),
			Rejected:       len(rejected),
			BuildSeconds:   time.Since(start).Seconds(),
			FieldLengths:   tot.means,
			Vocab:          tot.vocabName,
		},
		Rejected: rejected,
		Drafts:   loaded.Drafts,
	}
	store.FaultPoint(st, "manifest")
	if err := store.WriteJSONFile(st.BuildPath(id)+"/"+store.ManifestFile, rep.Manifest); err != nil {
		return nil, fmt.Errorf("build %s: write manifest: %w", id, err)
	}
	return rep, nil
}

// writeAll writes every post into a new build, which nothing serves yet.
func writeAll(ctx context.Context, idx bleve.Index, bf *bodies.File, posts []*post.Post, opts BuildOptions) ([]*post.Post, []*post.Problem, *totals, error) {
	var indexed []*post.Post
	var bad []*post.Problem
	b := newBuildQueue(idx, bf, opts.BatchSize)
	err := writePosts(ctx, b, posts, opts, func(p *post.Post, _ *document, problem *post.Problem) {
		if problem != nil {
			bad = append(bad, problem)
		} else {
			indexed = append(indexed, p)
		}
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if err := b.send(ctx); err != nil {
		return nil, nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("build cancelled: %w", err)
	}
	if opts.Progress != nil {
		opts.Progress(len(indexed), len(posts))
	}
	return indexed, bad, b.totals(), nil
}

// fingerprint identifies the content a build was made from: the same
// files with the same bytes give the same value (see changes.SetHash).
func fingerprint(posts []*post.Post) string {
	var s changes.SetHash
	for _, p := range posts {
		s.Toggle(p.File, p.Hash)
	}
	return s.String()
}

// openConfig is the scorch runtime configuration. bolt_timeout turns a
// second writer's endless wait on the lock into an error.
func openConfig(readOnly bool) map[string]interface{} {
	cfg := map[string]interface{}{"bolt_timeout": "1s"}
	if readOnly {
		cfg["read_only"] = true
	}
	return cfg
}

// freshBuildConfig is how a new build is created. Its batches are not
// merged as they arrive: compact merges them all in one pass at the end,
// where scorch's tiered merging rewrote each batch once or twice more on
// the way. Nothing searches a build before it is compacted, so its many
// segments cost nothing. Background errors are recorded (index/internal/compact) for
// the build to report.
func freshBuildConfig() map[string]interface{} {
	cfg := openConfig(false)
	cfg["asyncErrorCallbackName"] = compact.ErrorCallback
	cfg["scorchMergePlanOptions"] = map[string]interface{}{"MaxSegmentsPerTier": 1 << 20, "SegmentsPerMergeTask": 1 << 16}
	return cfg
}

// ServingConfig is how a serving build is opened: by its one writer, with
// batches that return once searchable (see batchQueue).
func ServingConfig() map[string]interface{} {
	cfg := openConfig(false)
	cfg["unsafe_batch"] = true
	return cfg
}

// analyzed maps d for bleve and analyses its fields, so that this work is
// done on the render workers. bleve's Batch analyses a batch's documents
// itself and only then makes the segment, on the writer's goroutine; in
// the meantime nothing else of the build moved.
func analyzed(m mapping.IndexMapping, id string, d *document) (*bdoc.Document, error) {
	doc := bdoc.NewDocument(id)
	if err := m.MapDocument(doc, d); err != nil {
		return nil, fmt.Errorf("index %s: %w", d.File, err)
	}
	for i, f := range doc.Fields {
		if f.Options().IsIndexed() {
			f.Analyze()
			doc.Fields[i] = preAnalyzed{f}
		}
	}
	return doc, nil
}

// preAnalyzed is a field analysed ahead of bleve, whose own pass then
// keeps the result instead of analysing it again.
type preAnalyzed struct{ bdoc.Field }

// Analyze implements document.Field: the analysis is done already.
func (preAnalyzed) Analyze() {}
