package ireval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// The files of a collection folder.
const (
	DocsFile    = "docs.jsonl"
	QueriesFile = "queries.jsonl"
	QrelsFile   = "qrels.tsv"
)

// Doc is one document of a collection.
type Doc struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Query is one test query.
type Query struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Qrels maps a query id to its relevant document ids and their grades.
type Qrels map[string]map[string]int

// Collection is a test collection: documents, queries and judgments.
type Collection struct {
	Docs    []Doc
	Queries []Query
	Qrels   Qrels
}

// Load reads docs.jsonl, queries.jsonl and qrels.tsv from fsys. Errors
// name the file and line.
func Load(fsys fs.FS) (*Collection, error) {
	c := &Collection{}
	err := readJSONL(fsys, DocsFile, func(line []byte) error {
		var d Doc
		if err := json.Unmarshal(line, &d); err != nil || d.ID == "" {
			return fmt.Errorf("want an object with an id: %v", err)
		}
		c.Docs = append(c.Docs, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readJSONL(fsys, QueriesFile, func(line []byte) error {
		var q Query
		if err := json.Unmarshal(line, &q); err != nil || q.ID == "" {
			return fmt.Errorf("want an object with an id: %v", err)
		}
		c.Queries = append(c.Queries, q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if c.Qrels, err = readQrels(fsys); err != nil {
		return nil, err
	}
	return c, nil
}

func readJSONL(fsys fs.FS, name string, fn func([]byte) error) error {
	return eachLine(fsys, name, func(line string) error { return fn([]byte(line)) })
}

func eachLine(fsys fs.FS, name string, fn func(string) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("collection: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// readQrels reads "qid<TAB>docid<TAB>grade" lines; a header line
// (query-id, corpus-id, score) is skipped.
func readQrels(fsys fs.FS) (Qrels, error) {
	q := Qrels{}
	err := eachLine(fsys, QrelsFile, func(line string) error {
		f := strings.Fields(line)
		if len(f) != 3 {
			return fmt.Errorf("want qid, docid and grade separated by tabs, got %q", line)
		}
		grade, err := strconv.Atoi(f[2])
		if err != nil {
			if len(q) == 0 {
				return nil // a header
			}
			return fmt.Errorf("grade %q is not a number", f[2])
		}
		if q[f[0]] == nil {
			q[f[0]] = map[string]int{}
		}
		q[f[0]][f[1]] = grade
		return nil
	})
	return q, err
}
