package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/index/internal/schema"
)

func TestInstall(t *testing.T) {
	const id = "20250101T000000-abc123"
	fake := func(manifestID string, mapping int) func(string) error {
		return func(dir string) error {
			if err := os.MkdirAll(filepath.Join(dir, BleveDir), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, BodiesFile), nil, 0o644); err != nil {
				return err
			}
			m := fmt.Sprintf(`{"id":%q,"mapping_version":%d}`, manifestID, mapping)
			return os.WriteFile(filepath.Join(dir, ManifestFile), []byte(m), 0o644)
		}
	}
	cases := []struct {
		name string
		id   string
		fill func(string) error
		want string // "" for success
	}{
		{"not an id", "../../x", fake(id, schema.MappingVersion), "is not a build id"},
		{"fill fails", id, func(string) error { return errors.New("disk on fire") }, "disk on fire"},
		{"another mapping", id, fake(id, schema.MappingVersion-1), fmt.Sprintf("mapping version %d, this program needs %d", schema.MappingVersion-1, schema.MappingVersion)},
		{"manifest names another build", id, fake("20250101T000000-ffffff", schema.MappingVersion), `names build "20250101T000000-ffffff"`},
		{"complete", id, fake(id, schema.MappingVersion), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			err = s.Install(c.id, c.fill)
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v, want one saying %q", err, c.want)
				}
				if left, _ := os.ReadDir(filepath.Join(s.Root(), BuildsDir)); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
				if _, err := s.Current(); !errors.Is(err, ErrNoIndex) {
					t.Errorf("CURRENT after a refused install: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cur, err := s.Current(); err != nil || cur != c.id {
				t.Errorf("CURRENT = %q, %v; want %s", cur, err, c.id)
			}
			if err := s.Install(c.id, c.fill); !errors.Is(err, ErrBuildPresent) {
				t.Errorf("installing the current build again: %v, want ErrBuildPresent", err)
			}
		})
	}
}
