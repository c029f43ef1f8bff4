// Package control is the archive's single-writer protocol. One process
// holds an index's writer lock (index.Writer): a server, or archive
// -reindex. Whoever else wants a sync waits for the lock (AwaitWriter) or,
// when the holder answers on the control socket beside the index, hands
// the sync to it (RequestSync) instead of writing into a build that
// process has open; the holder answers with Listen and Serve. Package
// indexer is both sides' user; this package is only the wait and the wire.
package control

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blust/archive/index"
)

// The control socket: the process holding an index's writer lock (a
// server, or archive -reindex -watch) listens on a unix socket beside the
// index, and other archive commands send their sync there instead of
// writing into a build that process has open. Requests and answers are
// lines of JSON; the answer streams progress, then one report or error.

// Request asks the writer to sync.
type Request struct {
	Content string   `json:"content"`         // absolute content folder; must be the writer's
	Full    bool     `json:"full,omitempty"`  // rebuild beside and switch
	Files   []string `json:"files,omitempty"` // only these paths changed (a watcher's burst)
}

// message is one line of the answer.
type message struct {
	Done   int               `json:"done,omitempty"`
	Total  int               `json:"total,omitempty"`
	Report *index.SyncReport `json:"report,omitempty"`
	Error  string            `json:"error,omitempty"`
}

// Path is the socket of the writer of index root. Socket paths are
// limited to about 104 bytes, so a deep index folder gets its socket in
// the temporary folder, named after the root.
func Path(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	p := filepath.Join(root, "control.sock")
	if len(p) < 100 {
		return p
	}
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(os.TempDir(), "blust-archive-"+hex.EncodeToString(sum[:8])+".sock")
}

// Dial connects to the writer of index root, if one listens.
func Dial(root string) (net.Conn, error) {
	return net.DialTimeout("unix", Path(root), time.Second)
}

// SyncFunc runs one requested sync, reporting progress as it goes.
type SyncFunc func(ctx context.Context, req Request, progress func(done, total int)) (*index.SyncReport, error)

// Server answers sync requests on the control socket.
type Server struct {
	ln      net.Listener
	content string
	log     *slog.Logger
	wg      sync.WaitGroup
}

// Listen opens the control socket. The caller holds the writer
// lock, so a socket file left there belongs to a writer that died.
func Listen(root, content string, log *slog.Logger) (*Server, error) {
	p := Path(root)
	_ = os.Remove(p)
	ln, err := net.Listen("unix", p)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", p, err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket %s: %w", p, err)
	}
	return &Server{ln: ln, content: content, log: log}, nil
}

// Serve answers requests until ctx ends. Connections made before Serve
// starts wait in the listen queue, so a client may connect early.
func (c *Server) Serve(ctx context.Context, run SyncFunc) {
	c.wg.Go(func() {
		<-ctx.Done()
		c.ln.Close()
	})
	c.wg.Go(func() {
		for {
			conn, err := c.ln.Accept()
			if err != nil {
				return
			}
			c.wg.Go(func() { c.handle(ctx, conn, run) })
		}
	})
}

// Stop closes the socket and returns once Serve's goroutines have
// stopped, which for the syncs it runs is once their ctx has ended.
func (c *Server) Stop() {
	c.ln.Close()
	c.wg.Wait()
}

func (c *Server) handle(ctx context.Context, conn net.Conn, run SyncFunc) {
	defer conn.Close()
	enc := json.NewEncoder(conn)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	rd := bufio.NewReader(conn)
	var req Request
	line, err := rd.ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	if err != nil {
		_ = enc.Encode(message{Error: "bad request: " + err.Error()})
		return
	}
	if req.Content != c.content {
		_ = enc.Encode(message{Error: fmt.Sprintf("this index belongs to the content folder %s, not %s; pass -index to use another index", c.content, req.Content)})
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = rd.ReadByte() // returns when the client hangs up: stop its sync
		cancel()
	}()
	c.log.Info("sync requested over the control socket", "full", req.Full, "files", len(req.Files))
	rep, err := runSafely(ctx, run, req, func(done, total int) {
		_ = enc.Encode(message{Done: done, Total: total})
	})
	if err != nil {
		// The client may be gone (it hung up, which cancels the sync), so
		// the server's own log is where the failure must be seen.
		c.log.Error("sync requested over the control socket failed", "full", req.Full, "files", len(req.Files), "err", err)
		_ = enc.Encode(message{Error: err.Error()})
		return
	}
	_ = enc.Encode(message{Report: rep})
}

// runSafely turns a panic in a sync into an error for the client: the
// server keeps serving from its build either way.
func runSafely(ctx context.Context, run SyncFunc, req Request, progress func(int, int)) (rep *index.SyncReport, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sync failed: %v", p)
		}
	}()
	return run(ctx, req, progress)
}

// RequestSync sends req over conn and waits for the report, passing
// progress on. Cancelling ctx hangs up, which stops the writer's sync.
func RequestSync(ctx context.Context, conn net.Conn, req Request, progress func(done, total int)) (*index.SyncReport, error) {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return nil, fmt.Errorf("send to the index's writer: %w", err)
	}
	dec := json.NewDecoder(conn)
	for {
		var m message
		if err := dec.Decode(&m); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("the process writing the index hung up: %w", err)
		}
		switch {
		case m.Error != "":
			return nil, errors.New(m.Error)
		case m.Report != nil:
			return m.Report, nil
		case progress != nil:
			progress(m.Done, m.Total)
		}
	}
}

// lockPoll is how often AwaitWriter tries the writer lock again.
const lockPoll = 200 * time.Millisecond

// AwaitWriter is the one wait for the index's writer: it returns with the
// writer lock taken (iw), or with a connection to the process that holds
// it and answers on the control socket (conn). A holder that does not
// answer is a reindex in progress: it is waited for, said once with
// waiting, until ctx ends.
func AwaitWriter(ctx context.Context, store *index.Store, log *slog.Logger, waiting string) (iw *index.Writer, conn net.Conn, err error) {
	said := false
	for {
		iw, err := store.LockWriter()
		if err == nil {
			return iw, nil, nil
		}
		if !errors.Is(err, index.ErrWriterBusy) {
			return nil, nil, err
		}
		if conn, derr := Dial(store.Root()); derr == nil {
			return nil, conn, nil
		}
		if !said {
			log.Info(waiting, "index", store.Root())
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}
