package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/gen"
)

// BenchmarkAPISearch asks the benchmark's query mix of 500 generated posts
// through the JSON API's whole handler (middleware, logging to a text
// handler as the server's, metrics, encoding) and of the index alone, as
// archive-bench's in-process figure does: the difference is what the HTTP
// path costs beyond the search, short of the network.
//
//	go test ./web -run '^$' -bench BenchmarkAPISearch -benchmem
func BenchmarkAPISearch(b *testing.B) {
	ctx := context.Background()
	c, err := gen.New(gen.DefaultSeed).Ensure(ctx, filepath.Join(b.TempDir(), "corpus"), 500)
	if err != nil {
		b.Fatal(err)
	}
	content := os.DirFS(c.Dir)
	ix := openTestIndex(b, content)
	s, err := New(Deps{Index: ix, Content: content, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	qs := gen.Queries()
	reqs := make([]index.Request, len(qs))
	targets := make([]string, len(qs))
	for i, q := range qs {
		text, tags := q.SearchBox()
		reqs[i] = index.Request{Query: text, Tags: tags, Size: 10, Fragments: 3}
		v := url.Values{"q": {text}}
		for _, t := range tags {
			v.Add("tag", t)
		}
		targets[i] = "/api/v1/search?" + v.Encode()
	}
	b.Run("index", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := ix.Search(ctx, reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("api", func(b *testing.B) {
		w := &discardWriter{h: http.Header{}}
		i := 0
		for b.Loop() {
			r, err := http.NewRequest(http.MethodGet, targets[i%len(targets)], nil)
			if err != nil {
				b.Fatal(err)
			}
			r.RemoteAddr = "127.0.0.1:40000"
			clear(w.h)
			w.status = 0
			s.ServeHTTP(w, r)
			if w.status != http.StatusOK {
				b.Fatalf("%s: status %d", targets[i%len(targets)], w.status)
			}
			i++
		}
	})
}

// discardWriter is a connection's writer without the connection: what
// the handler writes is dropped, as the server's socket takes it.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header { return w.h }

func (w *discardWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}

func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
