package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/blust/archive/internal/testshared"
)

// benchPost is a real 10 KB post of the shared corpus with prose, lists,
// links and five highlighted code blocks: a typical article.
const benchPost = "ipfs-blog/2023-07-rust-libp2p-based-ipfs-bootstrap-node.md"

func loadBenchPost(b *testing.B) []byte {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(testshared.Dir(b, "corpus"), benchPost))
	if err != nil {
		b.Fatal(err)
	}
	return stripFrontMatter(raw)
}

func BenchmarkRender(b *testing.B) {
	md := loadBenchPost(b)
	r := New()
	b.SetBytes(int64(len(md)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(md); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkText(b *testing.B) {
	md := loadBenchPost(b)
	r := New()
	b.SetBytes(int64(len(md)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Text(md); err != nil {
			b.Fatal(err)
		}
	}
}
