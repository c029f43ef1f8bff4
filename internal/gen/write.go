package gen

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Corpus is a generated corpus on disk.
type Corpus struct {
	Dir    string // the folder of <slug>.md files
	Posts  int
	Bytes  int64 // total size of the Markdown files
	Cached bool  // true when an earlier run's files were reused
}

const stampFile = ".complete"

// CacheDir is where the corpus of n posts for seed lives by default:
// under the user cache directory, one folder per version, seed and size.
func CacheDir(seed int64, n int) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("corpus cache: %w", err)
	}
	return filepath.Join(base, "blust-archive", "bench", fmt.Sprintf("corpus-v%d-s%d-n%d", Version, seed, n)), nil
}

// Ensure makes dir hold exactly posts 0..n-1 of seed. A folder completed by
// an earlier run (its stamp file names the same version, seed and size) is
// reused as it is; anything else there is removed and written afresh, on
// every core. It fails on I/O errors or when ctx ends.
func (g *Generator) Ensure(ctx context.Context, dir string, n int) (*Corpus, error) {
	want := stamp(g.seed, n)
	if got, err := os.ReadFile(filepath.Join(dir, stampFile)); err == nil && strings.HasPrefix(string(got), want) {
		c, err := measure(dir)
		if err == nil && c.Posts == n {
			c.Cached = true
			return c, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	if err := g.writeAll(ctx, dir, n); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, stampFile), []byte(want+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	return measure(dir)
}

func stamp(seed int64, n int) string {
	return fmt.Sprintf("blust-archive corpus version=%d seed=%d posts=%d", Version, seed, n)
}

func (g *Generator) writeAll(ctx context.Context, dir string, n int) error {
	next := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				slug, text := g.Post(i)
				if err := os.WriteFile(filepath.Join(dir, slug+".md"), text, 0o644); err != nil {
					select {
					case errs <- fmt.Errorf("corpus %s: %w", dir, err):
					default:
					}
					return
				}
			}
		})
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

func measure(dir string) (*Corpus, error) {
	c := &Corpus{Dir: dir}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		c.Posts++
		c.Bytes += info.Size()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", dir, err)
	}
	if c.Posts == 0 {
		return nil, errors.New("corpus " + dir + ": no posts")
	}
	return c, nil
}
