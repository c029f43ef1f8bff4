package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// rowWriter writes an export's rows to a buffered stream.
type rowWriter interface {
	header(fields fieldSet) error
	row(rank int, build string, h *apiHit, fields fieldSet) error
	flush() error
}

// export streams every hit of the request, in order, without a cap: the
// index is walked in batches with search_after and each batch is flushed
// before the next is fetched, so memory stays flat however large the
// result set. Each batch takes a search slot and the search deadline, as
// a search would; the stream as a whole has neither, so a slow reader
// neither times out nor keeps others from searching. A failure before the
// first row is an ordinary error answer; after it, the connection is cut
// without the closing chunk, so a client sees a broken transfer rather
// than a short export that looks complete.
func (s *Server) export(c *gin.Context, kind listKind, lp *listParams) {
	bw := bufio.NewWriterSize(c.Writer, 64<<10)
	var w rowWriter = &jsonlWriter{bw: bw, enc: newLineEncoder(bw)}
	ctype := "application/x-ndjson; charset=utf-8"
	if lp.format == formatCSV {
		cw := csv.NewWriter(bw)
		cw.UseCRLF = true // RFC 4180
		w, ctype = &csvWriter{cw: cw, bw: bw}, "text/csv; charset=utf-8; header=present"
	}
	req, started := lp.req, false
	rc := http.NewResponseController(c.Writer)
	for {
		// The server's WriteTimeout bounds ordinary answers; an export
		// has no overall deadline, so each batch gets a fresh one. A
		// writer without deadlines (a test's recorder) needs none.
		_ = rc.SetWriteDeadline(time.Now().Add(s.limits.WriteTimeout()))
		res, err := s.exportBatch(c, req)
		if err == nil && !started {
			started = true
			name := fmt.Sprintf("%s-%s.%s", kind.items, res.BuildID, lp.format)
			c.Header("Content-Type", ctype)
			c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
			c.Header("X-Total-Count", fmt.Sprint(res.Total))
			c.Status(http.StatusOK)
			if c.Request.Method == http.MethodHead {
				return // the headers say it all: HEAD must not walk the whole result set
			}
			err = w.header(lp.fields)
		}
		if err == nil {
			err = writeBatch(w, res, lp.fields)
			c.Writer.Flush()
		}
		switch {
		case err != nil && !started:
			s.fail(c, err)
			return
		case err != nil:
			s.logger(c).Warn("export cut short", "path", c.Request.URL.Path, "query", c.Request.URL.RawQuery, "err", err)
			panic(http.ErrAbortHandler)
		case res.NextCursor == "":
			return
		}
		req.Cursor, req.Facets = res.NextCursor, nil
	}
}

// exportBatch fetches one batch of an export under the search limits.
func (s *Server) exportBatch(c *gin.Context, req index.Request) (*index.Result, error) {
	if !s.gate.enter(c.Request.Context(), s.limits.QueueWait) {
		s.metrics.Rejected("overload")
		c.Header("Retry-After", fmt.Sprint(max(1, int(math.Ceil(s.limits.QueueWait.Seconds())))))
		return nil, errOverloaded
	}
	defer s.gate.leave()
	defer s.metrics.SearchStarted()()
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.limits.SearchTimeout)
	defer cancel()
	return s.deps.Index.ScanStep(ctx, req)
}

func writeBatch(w rowWriter, res *index.Result, fields fieldSet) error {
	for i, h := range res.Hits {
		if err := w.row(res.Offset+i+1, res.BuildID, newAPIHit(h), fields); err != nil {
			return err
		}
	}
	return w.flush()
}

// newLineEncoder escapes markup as the JSON answers do.
func newLineEncoder(bw *bufio.Writer) *json.Encoder {
	return json.NewEncoder(bw)
}

// jsonlWriter writes one JSON object per line: the hit as /search shows
// it, led by its rank and the index build.
type jsonlWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (w *jsonlWriter) header(fieldSet) error { return nil }

func (w *jsonlWriter) row(rank int, build string, h *apiHit, fs fieldSet) error {
	return w.enc.Encode(hitView{hit: h, fields: fs, extra: []member{{"rank", rank}, {"index_build", build}}})
}

func (w *jsonlWriter) flush() error { return w.bw.Flush() }

// csvWriter writes RFC 4180 CSV: a header row, then rank, the selected
// fields and the index build. Lists are joined with "; ". Text that a
// spreadsheet would run as a formula is defused (see inertCell).
type csvWriter struct {
	cw  *csv.Writer
	bw  *bufio.Writer
	rec []string
}

func (w *csvWriter) header(fs fieldSet) error {
	rec := []string{"rank"}
	for _, i := range fs {
		rec = append(rec, hitFields[i].name)
	}
	return w.cw.Write(append(rec, "index_build"))
}

func (w *csvWriter) row(rank int, build string, h *apiHit, fs fieldSet) error {
	w.rec = append(w.rec[:0], fmt.Sprint(rank))
	for _, i := range fs {
		w.rec = append(w.rec, inertCell(hitFields[i].csv(h)))
	}
	return w.cw.Write(append(w.rec, build))
}

func (w *csvWriter) flush() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}

// inertCell keeps a cell that starts like a formula (=, +, -, @, tab or
// carriage return) from running when a researcher opens the export in a
// spreadsheet: a post titled =HYPERLINK(...) would otherwise become a live
// link or command (OWASP's CSV injection). The cell gets a leading
// apostrophe, which spreadsheets show as text; numbers are left alone.
func inertCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}
