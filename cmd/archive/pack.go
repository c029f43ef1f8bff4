package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/pack"
)

// Build once, ship the build: archive pack writes the serving build, with
// the content it was made from, into one file; archive unpack installs
// such a file into a read replica's index folder and makes it current, and
// a server started with -read-only switches to it (readonly.go).

// version is the release a binary was built as, set at link time:
// go build -ldflags "-X main.version=v1.4.0" ./cmd/archive.
var version string

// programVersion names the archive binary: version when it was set, else
// its module version, and for a development build the commit it was built
// from (+dirty when the tree had changes) when Go stamped it. A build is
// served only by the version that made it. A development build without
// VCS stamping (-buildvcs=false) is "(devel)", and only its mapping
// version tells it apart.
func programVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if v == "(devel)" && rev != "" {
		v += " " + rev[:min(len(rev), 12)] + dirty
	}
	return v
}

// runPack is the pack command.
func runPack(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("archive pack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "the file to write, e.g. build.tar.zst")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: archive [-content DIR] [-index DIR] pack -o build.tar.zst")
		fmt.Fprintln(stderr, "\nWrites the index's serving build, the content it was made from and checksums of")
		fmt.Fprintln(stderr, "every file into one zstd-compressed tar, for archive unpack on a read replica.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if *out == "" || fs.NArg() > 0 {
		return &exitError{code: 2, msg: "pack needs -o FILE and no other arguments (see archive pack -h)"}
	}
	if err := cfg.resolve(); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	m, err := packIndex(cfg, *out)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	var bytes int64
	for _, f := range m.Files {
		bytes += f.Size
	}
	fmt.Fprintf(stdout, "packed build %s (%d posts, %d files, %d bytes before compression, archive %s) into %s\n",
		m.Label, m.Posts, len(m.Files), bytes, m.Program, *out)
	return nil
}

func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return &exitError{code: 0}
	}
	return &exitError{code: 2}
}

// packIndex writes the serving build into out. It holds the writer lock
// throughout, so no sync changes the build while it is read; out is
// written beside and renamed, so a failed pack leaves no file that looks
// whole.
func packIndex(cfg *config, out string) (pack.Manifest, error) {
	store, err := index.NewStore(cfg.indexDir)
	if err != nil {
		return pack.Manifest{}, err
	}
	lock, err := store.LockWriter()
	if errors.Is(err, index.ErrWriterBusy) {
		return pack.Manifest{}, fmt.Errorf("%w: a server or a reindex is using %s; pack when it has finished, or stop the server", err, store.Root())
	}
	if err != nil {
		return pack.Manifest{}, err
	}
	defer lock.Release()
	id, err := store.Current()
	if err != nil {
		return pack.Manifest{}, fmt.Errorf("nothing to pack: %w (make a build with archive -reindex)", err)
	}
	bm, err := store.Manifest(id)
	if err != nil {
		return pack.Manifest{}, err
	}
	root, posts := contentRoot(cfg)
	m := pack.Manifest{Build: id, Label: bm.Label(), Program: programVersion(), MappingVersion: bm.MappingVersion,
		Fingerprint: bm.Fingerprint, Posts: bm.Posts, BuiltAt: bm.BuiltAt, PackedAt: time.Now().UTC(), PostsDir: posts}
	trees := []pack.Tree{
		{Prefix: pack.BuildPrefix, Dir: store.BuildPath(id), Skip: skipBuildFile},
		{Prefix: pack.ContentPrefix, Dir: root, Skip: skipContent(root, out)},
	}
	return writePack(out, m, trees)
}

func writePack(out string, m pack.Manifest, trees []pack.Tree) (pack.Manifest, error) {
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return m, fmt.Errorf("pack -o %s: %w", out, err)
	}
	m, err = pack.Write(f, m, trees)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		return m, fmt.Errorf("pack -o %s: %w", out, err)
	}
	return m, nil
}

// contentRoot is the folder shipped as the build's content: the site's
// root when the posts lie in one (so its config and static folders come
// along), else the content folder; posts is the posts folder inside it.
func contentRoot(cfg *config) (root, posts string) {
	root = cfg.layout.Root
	if s := cfg.layout.Site; s != "" {
		if rel, err := filepath.Rel(s, cfg.content); err == nil && filepath.IsLocal(rel) {
			root = s
		}
	}
	rel, err := filepath.Rel(root, cfg.content)
	if err != nil {
		rel = "."
	}
	return root, filepath.ToSlash(rel)
}

// skipBuildFile leaves out the build's lock file: it is this machine's.
func skipBuildFile(rel string, _ fs.DirEntry) bool { return rel == "build.lock" }

// skipContent leaves out what is not the site's: hidden files and
// folders (.git), installed packages, and the pack being written, should
// -o name a file inside the content.
func skipContent(root, out string) func(string, fs.DirEntry) bool {
	outAbs, _ := filepath.Abs(out)
	return func(rel string, d fs.DirEntry) bool {
		name := d.Name()
		if strings.HasPrefix(name, ".") || d.IsDir() && name == "node_modules" {
			return true
		}
		p, _ := filepath.Abs(filepath.Join(root, filepath.FromSlash(rel)))
		return p == outAbs || p == outAbs+".tmp"
	}
}

// runUnpack is the unpack command.
func runUnpack(ctx context.Context, cfg *config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("archive unpack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("i", "", "the pack to install, e.g. build.tar.zst")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: archive -index DIR unpack -i build.tar.zst")
		fmt.Fprintln(stderr, "\nChecks a pack made by archive pack (versions, every file's checksum), writes it into")
		fmt.Fprintln(stderr, "DIR/builds/<id>/ and makes it current; a server on DIR with -read-only switches to it.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if *in == "" || fs.NArg() > 0 {
		return &exitError{code: 2, msg: "unpack needs -i FILE and no other arguments (see archive unpack -h)"}
	}
	if cfg.indexDir == "" {
		return &exitError{code: 2, msg: "unpack needs -index DIR (or $ARCHIVE_INDEX): the read replica's index folder"}
	}
	m, err := unpackInto(cfg.indexDir, *in, pack.DefaultLimits)
	if errors.Is(err, index.ErrBuildPresent) {
		fmt.Fprintf(stdout, "build %s is already current in %s; nothing to do\n", m.Label, cfg.indexDir)
		return nil
	}
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	fmt.Fprintf(stdout, "unpacked build %s (%d posts, %d files) into %s; CURRENT names it\n", m.Label, m.Posts, len(m.Files), cfg.indexDir)
	return nil
}

// unpackInto checks and installs the pack at file into the index folder.
func unpackInto(indexDir, file string, lim pack.Limits) (pack.Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return pack.Manifest{}, fmt.Errorf("unpack: %w", err)
	}
	defer f.Close()
	rd, m, err := pack.Open(f, file, lim)
	if err != nil {
		return m, err
	}
	defer rd.Close()
	if err := checkVersions(m.Build, m.Program, m.MappingVersion); err != nil {
		return m, fmt.Errorf("%s: %w", file, err)
	}
	store, err := index.NewStore(indexDir)
	if err != nil {
		return m, err
	}
	return m, store.Install(m.Build, rd.Extract)
}

// checkVersions refuses a build another version of the program made:
// its documents or files may not mean what this version reads them as.
func checkVersions(build, program string, mapping int) error {
	mine := programVersion()
	if program != mine || mapping != index.ServedMappingVersion() {
		return fmt.Errorf("build %s was made by archive %s (index mapping %d); this is archive %s (index mapping %d): pack the build with the archive that serves it",
			build, program, mapping, mine, index.ServedMappingVersion())
	}
	return nil
}
