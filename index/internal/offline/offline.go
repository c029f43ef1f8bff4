// Package offline writes a whole bleve index in one go with scorch's
// offline builder (the builder behind bleve.NewBuilder): each batch of
// documents becomes a segment file, and Close merges them all once and
// writes the index's root, with no introducer, no snapshot per batch and
// no merges on the way. Unlike bleve.NewBuilder it takes documents
// already mapped and analysed, so that work stays on the callers' cores.
// The index it leaves opens like any scorch index; nothing can be added
// to it through the builder afterwards.
package offline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Writer builds one index; Add every document once, then Close.
type Writer struct {
	dir  string
	b    *scorch.Builder
	docs int
}

// mergeAll is the builder's merge width: every segment in one merge, as
// the archive's own full builds do, rather than rounds of ten.
const mergeAll = 1 << 16

// Create starts an index in dir, which must not exist yet, for documents
// mapped with m; batch is the documents per segment.
func Create(dir string, m mapping.IndexMapping, batch int) (*Writer, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("offline %s: %w", dir, err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	// bleve.Open finds the index's kind in this file and its mapping under
	// this internal key, as bleve.New leaves them.
	meta, err := json.Marshal(map[string]string{"storage": scorch.Name, "index_type": scorch.Name})
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), meta, 0o644); err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("offline: mapping: %w", err)
	}
	b, err := scorch.NewBuilder(map[string]interface{}{
		"path": filepath.Join(dir, "store"),
		// Segments are written beside the index, not in the temporary
		// folder, so the final one is renamed within one file system.
		"buildPathPrefix": dir,
		"batchSize":       batch,
		"mergeMax":        mergeAll,
		"internal":        map[string][]byte{"_mapping": mb},
	})
	if err != nil {
		return nil, fmt.Errorf("offline %s: %w", dir, err)
	}
	return &Writer{dir: dir, b: b}, nil
}

// Add adds one document; every batch'th makes a segment.
func (w *Writer) Add(doc *bdoc.Document) error {
	w.docs++
	if err := w.b.Index(doc); err != nil {
		return fmt.Errorf("offline: %s: %w", doc.ID(), err)
	}
	return nil
}

// ErrEmpty is Close's answer for an index without documents, which the
// builder cannot make.
var ErrEmpty = errors.New("offline: no documents")

// Close merges the segments into one and writes the index's root.
func (w *Writer) Close() error {
	if w.docs == 0 {
		return ErrEmpty
	}
	if err := w.b.Close(); err != nil {
		return fmt.Errorf("offline %s: %w", w.dir, err)
	}
	return nil
}
