package index

import (
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/schema"
)

// Posts' bodies live outside bleve, in the build's bodies file
// (index/internal/bodies): bleve keeps stored fields in its memory-mapped
// segments, where the pages each shown hit's body touched stayed
// resident. bleve stores a reference to the body instead (body_ref), and
// only indexes the text.

// bodyFile is a build's bodies file, shared by the build's writer and its
// searches. A search reads bodies after bleve's alias has let go of the
// build, so a build switch could close the file under it: the file
// closes when the build is closed and no search holds it.
type bodyFile struct {
	*bodies.File
	mu     sync.Mutex
	refs   int
	closed bool
}

// acquire holds the file open; false once it is closed.
func (b *bodyFile) acquire() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.refs++
	return true
}

func (b *bodyFile) release() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refs--
	if b.closed && b.refs == 0 {
		return b.File.Close()
	}
	return nil
}

// close closes the file now or, if searches hold it, when the last one
// lets go.
func (b *bodyFile) close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if b.refs == 0 {
		return b.File.Close()
	}
	return nil
}

// errClosed reports a build whose files were closed under a request
// (after a failed write, reopening it failed too).
var errClosed = errors.New("the build is closed")

// errSwitched reports that hits came from a build that no longer serves;
// the search is repeated on the new one.
var errSwitched = errors.New("the serving build changed during the request")

// loadBodies sets each hit's body and sections fields from its
// body_ref. The hits must come from the serving build: bleve names the
// index each hit came from, and a hit of another build fails with
// errSwitched.
func (ix *Index) loadBodies(hits []*search.DocumentMatch) error {
	if len(hits) == 0 {
		return nil
	}
	ix.mu.RLock()
	b := ix.cur
	ok := b.bodies.acquire()
	ix.mu.RUnlock()
	if !ok {
		return fmt.Errorf("bodies of build %s: %w", b.id, errClosed)
	}
	defer b.bodies.release()
	name := b.idx.Name()
	for _, h := range hits {
		if h.Index != name {
			return errSwitched
		}
		ref, ok := h.Fields[schema.FieldBodyRef].(string)
		if !ok {
			return fmt.Errorf("post %s has no body reference", h.ID)
		}
		text, secs, err := schema.ReadBody(b.bodies.File, ref)
		if err != nil {
			return fmt.Errorf("body of post %s: %w", h.ID, err)
		}
		h.Fields[schema.FieldBody], h.Fields[schema.FieldSections] = text, secs
		delete(h.Fields, schema.FieldBodyRef)
	}
	return nil
}
