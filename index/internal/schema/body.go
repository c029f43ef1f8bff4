package schema

import (
	"fmt"

	"github.com/blust/archive/index/internal/bodies"
)

// A post's body lives outside bleve, in the build's bodies file, as one
// record of two parts: the text, then the sections, which are only ever
// read with it (a hit's snippets name their headings). The document
// stores a reference to the record in FieldBodyRef.

// PackBody makes a post's bodies record.
func PackBody(text, sections string) []byte { return bodies.Pack(text, sections) }

// ReadBody reads the text and sections (PackBody) a stored reference
// points to.
func ReadBody(bf *bodies.File, ref string) (text, sections string, err error) {
	r, err := bodies.ParseRef(ref)
	if err != nil {
		return "", "", err
	}
	parts, err := bf.Read(r)
	if err != nil {
		return "", "", err
	}
	if len(parts) != 2 {
		return "", "", fmt.Errorf("bodies %s: read %s: %w: %d parts, want the text and the sections", bf.Path(), r, bodies.ErrDamaged, len(parts))
	}
	return parts[0], parts[1], nil
}
