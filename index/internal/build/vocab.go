package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/index/internal/vocab"
)

// The vocabulary that spelling suggestions and completion draw on (every
// word of the title, body, tags and authors as written, lowercased, not
// stemmed, stop words aside, with the number of posts using it) is kept in a file beside
// the index (index/internal/vocab) rather than in an index field. As a field it
// cost 40% of a full build's time and 0.4 bytes of index per byte of
// Markdown (2,000 generated posts: 197 -> 325 docs/s and 2.36 -> 1.95
// index bytes per Markdown byte without it).
//
// A full build counts every post's words on the render workers, from the
// analysis bleve needs anyway (vocabOf), and writes vocab-0.fst. An incremental sync subtracts the
// words of the documents it replaces or deletes (read back from their
// stored fields), adds those of the documents it writes, and records the
// difference in the manifest, which is written after the index; once the
// difference grows past vocabCompactAt words it is folded into a new
// file.

// VocabCompactAt is how many changed words the manifest carries before
// they are folded into a new vocabulary file.
const VocabCompactAt = 20000

// vocabFields are the fields whose words make the vocabulary.
var vocabFields = map[string]bool{schema.FieldTitle: true, schema.FieldBody: true, schema.FieldTagText: true, schema.FieldAuthorText: true}

// vocabOf lists the distinct words of an analysed document (see
// analyzed): each token of its text fields as written, lowercased. The
// text analysis already found every word's place for the term vectors,
// so this costs no second pass over the text. Stop words, which that
// analysis drops, are no loss: they are never worth suggesting.
func vocabOf(doc *bdoc.Document) []string {
	seen := make(map[string]struct{}, 512)
	var buf []byte
	for _, f := range doc.Fields {
		if !vocabFields[f.Name()] {
			continue
		}
		text := f.Value()
		for _, tf := range f.AnalyzedTokenFrequencies() {
			var last []byte // a stem's places mostly hold one word
			for _, loc := range tf.Locations {
				if loc.Start < 0 || loc.End > len(text) || loc.Start >= loc.End {
					continue
				}
				w := text[loc.Start:loc.End]
				if bytes.Equal(w, last) {
					continue
				}
				last = w
				// Looked up lowercased, so a capitalised word is not
				// converted again at each of its places.
				buf = appendLower(buf[:0], w)
				if _, ok := seen[string(buf)]; !ok {
					seen[string(buf)] = struct{}{}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	return out
}

// appendLower appends w lowercased, as the analyzer's lowercase filter
// does it.
func appendLower(dst, w []byte) []byte {
	for _, c := range w {
		if c >= utf8.RuneSelf {
			return append(dst, bytes.ToLower(w)...)
		}
	}
	for _, c := range w {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func vocabFile(generation int) string { return "vocab-" + strconv.Itoa(generation) + ".fst" }

// writeVocab writes a vocabulary file into a build folder and syncs it.
func writeVocab(dir, name string, data []byte) error {
	if err := store.WriteFileSynced(filepath.Join(dir, name), data); err != nil {
		return fmt.Errorf("write vocabulary: %w", err)
	}
	return nil
}

// buildVocab encodes counts and writes them as a fresh build's file.
func buildVocab(dir string, counts map[string]uint64) (string, error) {
	_, data, err := vocab.Build(counts)
	if err != nil {
		return "", err
	}
	name := vocabFile(0)
	return name, writeVocab(dir, name, data)
}

// LoadVocab reads a build's vocabulary as its manifest describes it. A
// build whose file is missing or unreadable has its words counted again
// from the stored documents.
func LoadVocab(ctx context.Context, dir string, man store.Manifest, idx bleve.Index, bf *bodies.File) (*vocab.Vocab, error) {
	if man.Vocab != "" {
		data, err := os.ReadFile(filepath.Join(dir, man.Vocab))
		if err == nil {
			v, lerr := vocab.Load(data, man.VocabChanges)
			if lerr == nil {
				return v, nil
			}
			err = lerr
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("build %s: %w", man.ID, err)
		}
	}
	counts, err := CountVocab(ctx, idx, bf)
	if err != nil {
		return nil, err
	}
	v, _, err := vocab.Build(counts)
	return v, err
}

// CountVocab counts the words of every document of idx from its stored
// fields: the way back when a vocabulary file is lost or a sync failed
// half-way.
func CountVocab(ctx context.Context, idx bleve.Index, bf *bodies.File) (map[string]uint64, error) {
	r, err := SnapshotReader(idx)
	if err != nil {
		return nil, fmt.Errorf("count vocabulary: %w", err)
	}
	defer r.Close()
	counts := map[string]uint64{}
	err = EachLiveDoc(ctx, r, func(id bleveidx.IndexInternalID) error {
		ext, err := r.ExternalID(id)
		if err != nil {
			return err
		}
		words, err := storedWords(r, bf, idx.Mapping(), ext)
		if err != nil {
			return err
		}
		for _, w := range words {
			counts[w]++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count vocabulary: %w", err)
	}
	return counts, nil
}

// storedWords are the vocabulary words of an indexed document, read back
// from its stored fields and analysed as when it was written; none when
// there is no such document.
func storedWords(r bleveidx.IndexReader, bf *bodies.File, m mapping.IndexMapping, id string) ([]string, error) {
	d, err := storedDocument(r, bf, id)
	if err != nil || d == nil {
		return nil, err
	}
	doc, err := analyzed(m, id, d)
	if err != nil {
		return nil, err
	}
	return vocabOf(doc), nil
}

// storedDocument reads back the text fields of an indexed document; nil
// when there is no such document.
func storedDocument(r bleveidx.IndexReader, bf *bodies.File, id string) (*document, error) {
	doc, err := r.Document(id)
	if err != nil {
		return nil, fmt.Errorf("read post %s: %w", id, err)
	}
	if doc == nil {
		return nil, nil
	}
	d := &document{}
	var ref string
	doc.VisitFields(func(f bleveidx.Field) {
		tf, ok := f.(bleveidx.TextField)
		if !ok {
			return
		}
		switch f.Name() {
		case schema.FieldTitle:
			d.Title = tf.Text()
		case schema.FieldBodyRef:
			ref = tf.Text()
		case schema.FieldTags:
			d.Tags = append(d.Tags, tf.Text())
		case schema.FieldAuthors:
			d.Authors = append(d.Authors, tf.Text())
		}
	})
	if d.Body, _, err = schema.ReadBody(bf, ref); err != nil {
		return nil, fmt.Errorf("read post %s: %w", id, err)
	}
	return d, nil
}

// VocabRemoved subtracts the words of the documents of idx with the given
// slugs (those a sync replaces or deletes) from change.
func VocabRemoved(idx bleve.Index, bf *bodies.File, slugs []string, change map[string]int64) error {
	r, err := SnapshotReader(idx)
	if err != nil {
		return fmt.Errorf("read replaced posts: %w", err)
	}
	defer r.Close()
	seen := map[string]bool{}
	for _, slug := range slugs {
		if seen[slug] {
			continue
		}
		seen[slug] = true
		words, err := storedWords(r, bf, idx.Mapping(), slug)
		if err != nil {
			return err
		}
		for _, w := range words {
			change[w]--
		}
	}
	return nil
}

// SaveManifest writes m with voc as the build's vocabulary, first folding
// voc's changes into a new file when they have grown large, and has
// install put both in place before the vocabulary file they replace is
// removed. fold writes a new file whatever the changes.
func SaveManifest(st *store.Store, m store.Manifest, voc *vocab.Vocab, fold bool, install func(store.Manifest, *vocab.Vocab)) error {
	dir := st.BuildPath(m.ID)
	was := m.Vocab
	if fold || len(voc.Changes()) > VocabCompactAt {
		nv, data, err := voc.Compact()
		if err != nil {
			return fmt.Errorf("build %s: %w", m.ID, err)
		}
		name := vocabFile(m.Generation)
		if name == was {
			name = vocabFile(m.Generation) + ".1"
		}
		if err := writeVocab(dir, name, data); err != nil {
			return err
		}
		voc, m.Vocab = nv, name
	}
	m.VocabChanges = voc.Changes()
	if err := store.WriteJSONFile(filepath.Join(dir, store.ManifestFile), m); err != nil {
		return fmt.Errorf("build %s: write manifest: %w", m.ID, err)
	}
	install(m, voc)
	if was != "" && was != m.Vocab {
		os.Remove(filepath.Join(dir, was))
	}
	return nil
}
