// Package fts5 is the benchmark's baseline: SQLite's FTS5 (the C library
// through github.com/mattn/go-sqlite3, built with -tags sqlite_fts5)
// indexing the same posts and answering the same queries as the archive.
// It mirrors the performance kit's fts5_bench.py: porter unicode61 tokenizer;
// title, body and tags columns; one transaction then 'optimize'; bm25 with
// the title weighted 5, tags 2, body 1; top 10 with highlight() of the
// title and snippet() of the body. Only cmd/archive-bench imports it, so
// SQLite never reaches the archive binary.
package fts5

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/blust/archive/internal/gen"
)

// Doc is one post as the baseline indexes it.
type Doc struct {
	Slug, Title, Body, Tags, Date, Author string
}

// DB is an FTS5 index in one SQLite file.
type DB struct {
	db   *sql.DB
	path string
}

// Weights of bm25() per column, as in the reference baseline.
const (
	titleWeight = 5.0
	bodyWeight  = 1.0
	tagsWeight  = 2.0
)

// Create makes a new, empty index at path (removing any old one). It
// fails with a hint when SQLite was built without FTS5.
func Create(ctx context.Context, path string) (*DB, error) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("fts5 %s: %w", path, err)
		}
	}
	d, err := open(path)
	if err != nil {
		return nil, err
	}
	_, err = d.db.ExecContext(ctx, `CREATE VIRTUAL TABLE posts USING fts5(
		title, body, tags, slug UNINDEXED, date UNINDEXED, author UNINDEXED,
		tokenize='porter unicode61')`)
	if err != nil && strings.Contains(err.Error(), "no such module") {
		d.Close()
		return nil, fmt.Errorf("fts5: SQLite was built without FTS5: run with -tags sqlite_fts5 (%w)", err)
	}
	if err == nil {
		_, err = d.db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO posts(posts, rank) VALUES('rank', 'bm25(%g, %g, %g)')`,
			titleWeight, bodyWeight, tagsWeight))
	}
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("fts5 %s: create: %w", path, err)
	}
	return d, nil
}

// Open opens an existing index.
func Open(path string) (*DB, error) { return open(path) }

func open(path string) (*DB, error) {
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		return nil, fmt.Errorf("fts5 %s: %w", path, err)
	}
	// One connection: the reference baseline is one Python connection, and
	// SQLite serialises writers anyway.
	db.SetMaxOpenConns(1)
	return &DB{db: db, path: path}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// Version is the SQLite library's version.
func Version() string {
	v, _, _ := sqlite3.Version()
	return v
}

// Insert adds every doc from the channel in one transaction.
func (d *DB) Insert(ctx context.Context, docs <-chan Doc) (int, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("fts5 insert: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO posts(title, body, tags, slug, date, author) VALUES (?,?,?,?,?,?)`)
	if err != nil {
		return 0, fmt.Errorf("fts5 insert: %w", err)
	}
	n := 0
	for doc := range docs {
		if _, err := st.ExecContext(ctx, doc.Title, doc.Body, doc.Tags, doc.Slug, doc.Date, doc.Author); err != nil {
			return n, fmt.Errorf("fts5 insert %s: %w", doc.Slug, err)
		}
		n++
	}
	if err := st.Close(); err != nil {
		return n, fmt.Errorf("fts5 insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return n, fmt.Errorf("fts5 commit: %w", err)
	}
	return n, nil
}

// Optimize merges the index into one b-tree, like the archive's merge to
// one segment.
func (d *DB) Optimize(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `INSERT INTO posts(posts) VALUES('optimize')`); err != nil {
		return fmt.Errorf("fts5 optimize: %w", err)
	}
	return nil
}

// Size is the bytes of used pages (the text is in there too: FTS5 keeps
// its content table).
func (d *DB) Size(ctx context.Context) (int64, error) {
	var pageSize, pages, free int64
	for q, v := range map[string]*int64{"PRAGMA page_size": &pageSize, "PRAGMA page_count": &pages, "PRAGMA freelist_count": &free} {
		if err := d.db.QueryRowContext(ctx, q).Scan(v); err != nil {
			return 0, fmt.Errorf("fts5 %s: %w", q, err)
		}
	}
	return (pages - free) * pageSize, nil
}

const (
	sqlTop10 = `SELECT slug, highlight(posts, 0, '<mark>', '</mark>'),
       snippet(posts, 1, '<mark>', '</mark>', '…', 32), rank
FROM posts WHERE posts MATCH ?1 ORDER BY rank LIMIT 10`
	sqlRankOnly = `SELECT slug, rank FROM posts WHERE posts MATCH ?1 ORDER BY rank LIMIT 10`
	sqlCount    = `SELECT count(*) FROM posts WHERE posts MATCH ?1`
)

// Searcher runs queries on one connection with prepared statements.
type Searcher struct {
	conn                 *sql.Conn
	top, rankOnly, count *sql.Stmt
}

// Searcher prepares the query statements.
func (d *DB) Searcher(ctx context.Context) (*Searcher, error) {
	c, err := d.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("fts5: %w", err)
	}
	s := &Searcher{conn: c}
	for q, st := range map[string]**sql.Stmt{sqlTop10: &s.top, sqlRankOnly: &s.rankOnly, sqlCount: &s.count} {
		if *st, err = c.PrepareContext(ctx, q); err != nil {
			s.Close()
			return nil, fmt.Errorf("fts5 prepare: %w", err)
		}
	}
	return s, nil
}

// Close releases the statements and the connection.
func (s *Searcher) Close() error {
	for _, st := range []*sql.Stmt{s.top, s.rankOnly, s.count} {
		if st != nil {
			st.Close()
		}
	}
	return s.conn.Close()
}

// Top10 runs match and fetches the 10 best rows, with the highlighted
// title and a body snippet when snippets is set.
func (s *Searcher) Top10(ctx context.Context, match string, snippets bool) (int, error) {
	st := s.rankOnly
	if snippets {
		st = s.top
	}
	rows, err := st.QueryContext(ctx, match)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var slug, title, snippet string
	var rank float64
	for rows.Next() {
		if snippets {
			err = rows.Scan(&slug, &title, &snippet, &rank)
		} else {
			err = rows.Scan(&slug, &rank)
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// Count is the number of posts match finds.
func (s *Searcher) Count(ctx context.Context, match string) (int, error) {
	var n int
	err := s.count.QueryRowContext(ctx, match).Scan(&n)
	return n, err
}

// Match translates a line of the query mix into an FTS5 MATCH expression
// with the reference baseline's AND semantics.
func Match(q gen.Query) string {
	var parts []string
	for _, c := range q.Clauses() {
		switch c.Kind {
		case gen.Term, gen.Phrase:
			parts = append(parts, quote(c.Value))
		case gen.Prefix:
			parts = append(parts, quote(c.Value)+"*")
		case gen.Field:
			col := "title"
			if c.Field == "tag" {
				col = "tags"
			}
			parts = append(parts, col+" : "+quote(c.Value))
		}
	}
	return strings.Join(parts, " AND ")
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Export fetches every post match finds with its slug, date and title, as
// a researcher's export would, ordered by rank or newest first, and
// returns how many rows it read.
func (s *Searcher) Export(ctx context.Context, match string, byDate bool) (int, error) {
	order := "rank"
	if byDate {
		order = "date DESC"
	}
	rows, err := s.conn.QueryContext(ctx, `SELECT slug, date, title FROM posts WHERE posts MATCH ?1 ORDER BY `+order, match)
	if err != nil {
		return 0, fmt.Errorf("fts5 export: %w", err)
	}
	defer rows.Close()
	n := 0
	var slug, date, title string
	for rows.Next() {
		if err := rows.Scan(&slug, &date, &title); err != nil {
			return n, fmt.Errorf("fts5 export: %w", err)
		}
		n++
	}
	return n, rows.Err()
}

// MonthCounts counts the posts match finds per month ("2019-03"), or
// every post's per month when match is "": the baseline of a trends
// request.
func (s *Searcher) MonthCounts(ctx context.Context, match string) (map[string]int, error) {
	q, args := `SELECT substr(date, 1, 7), count(*) FROM posts GROUP BY 1`, []any{}
	if match != "" {
		q, args = `SELECT substr(date, 1, 7), count(*) FROM posts WHERE posts MATCH ?1 GROUP BY 1`, []any{match}
	}
	rows, err := s.conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5 month counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var month string
		var n int
		if err := rows.Scan(&month, &n); err != nil {
			return nil, fmt.Errorf("fts5 month counts: %w", err)
		}
		out[month] = n
	}
	return out, rows.Err()
}

// Term is the MATCH expression for one word taken as it is.
func Term(w string) string { return quote(w) }
