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

// export streams every hit of the request, in order, without a cap. A
// walk from the start is the index's own (exportIndexed: one search, then
// the rows in steps); one resumed from a cursor is walked in batches with
// search_after. Each batch or step is flushed before the next is fetched,
// so memory stays flat however large the result set. Each batch takes a search slot and the search deadline, as
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
	if index.CanExport(lp.req) && !s.pagedExports && s.holdExport() {
		defer func() { <-s.heldExports }()
		s.exportIndexed(c, kind, lp, w, ctype)
		return
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
			if !startExport(c, kind, lp, ctype, res.BuildID, res.Total) {
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

// maxHeldExports is how many exports may stream from a held snapshot at
// once: each keeps 32 bytes per match (3.2 MB at 100,000 matches) and the
// snapshot's files for as long as its reader takes.
const maxHeldExports = 16

// holdExport takes one of the held exports' places, if one is free.
func (s *Server) holdExport() bool {
	select {
	case s.heldExports <- struct{}{}:
		return true
	default:
		return false
	}
}

// startExport sends an export's status and headers; false when the
// request is a HEAD, which they answer in full.
func startExport(c *gin.Context, kind listKind, lp *listParams, ctype, build string, total uint64) bool {
	name := fmt.Sprintf("%s-%s.%s", kind.items, build, lp.format)
	c.Header("Content-Type", ctype)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("X-Total-Count", fmt.Sprint(total))
	c.Status(http.StatusOK)
	return c.Request.Method != http.MethodHead
}

// exportIndexed streams an export the index walks itself (index.Export):
// one search, then the rows in order, index.ExportRows at a time, each
// step flushed before the next is read. The search and each step take a
// search slot and the search deadline, as export's batches do, and the
// failure rules are export's: an error answer before the first row, a
// cut connection after it.
func (s *Server) exportIndexed(c *gin.Context, kind listKind, lp *listParams, w rowWriter, ctype string) {
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetWriteDeadline(time.Now().Add(s.limits.WriteTimeout()))
	var ex *index.Export
	err := s.withSearchSlot(c, func(ctx context.Context) (err error) {
		ex, err = s.deps.Index.OpenExport(ctx, lp.req)
		return err
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	defer ex.Close()
	if !startExport(c, kind, lp, ctype, ex.BuildID, ex.Total) {
		return
	}
	err = w.header(lp.fields)
	for rank := 0; err == nil; {
		_ = rc.SetWriteDeadline(time.Now().Add(s.limits.WriteTimeout()))
		var hits []index.Hit
		err = s.withSearchSlot(c, func(ctx context.Context) (err error) {
			hits, err = ex.Next(ctx)
			return err
		})
		for i := 0; err == nil && i < len(hits); i++ {
			rank++
			err = w.row(rank, ex.BuildID, newAPIHit(hits[i]), lp.fields)
		}
		if err == nil {
			err = w.flush()
			c.Writer.Flush()
		}
		if len(hits) == 0 {
			break
		}
	}
	if err != nil {
		s.logger(c).Warn("export cut short", "path", c.Request.URL.Path, "query", c.Request.URL.RawQuery, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// exportBatch fetches one batch of an export under the search limits.
func (s *Server) exportBatch(c *gin.Context, req index.Request) (res *index.Result, err error) {
	err = s.withSearchSlot(c, func(ctx context.Context) error {
		res, err = s.deps.Index.ScanStep(ctx, req)
		return err
	})
	return res, err
}

// withSearchSlot runs fn as one search: in a slot of the gate, within the
// search deadline.
func (s *Server) withSearchSlot(c *gin.Context, fn func(context.Context) error) error {
	if !s.gate.enter(c.Request.Context(), s.limits.QueueWait) {
		s.metrics.Rejected("overload")
		c.Header("Retry-After", fmt.Sprint(max(1, int(math.Ceil(s.limits.QueueWait.Seconds())))))
		return errOverloaded
	}
	defer s.gate.leave()
	defer s.metrics.SearchStarted()()
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.limits.SearchTimeout)
	defer cancel()
	return fn(ctx)
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
