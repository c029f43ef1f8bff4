package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/content"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

// contract is the embedded OpenAPI document, read by libopenapi, and a
// validator that checks requests and answers against it.
type contract struct {
	model   *v3.Document
	v       validator.Validator
	schemas schema_validation.SchemaValidator // for each line of a JSON Lines export
	mu      sync.Mutex
	seen    map[string]bool // "getPost 404" for every checked answer
}

// loadContract reads openapi.json and validates it against the OpenAPI
// 3.1 specification's schema, which the validator carries.
func loadContract(tb testing.TB) *contract {
	tb.Helper()
	doc, err := libopenapi.NewDocument(openAPIDoc)
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	// A JSON Lines export is documented as a string (OpenAPI 3.1 has no
	// word for a stream's items): the validator reads it as text, and
	// checkJSONLines checks each line against x-jsonl-item.
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions(),
		config.WithBodyDecoder("application/x-ndjson", content.TextDecoder()))
	if len(errs) > 0 {
		tb.Fatalf("openapi.json: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		tb.Fatalf("openapi.json is not a valid OpenAPI 3.1 document:\n%s", validationErrors(verrs))
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		tb.Fatalf("openapi.json: %v", err)
	}
	return &contract{
		model:   &model.Model,
		v:       v,
		schemas: schema_validation.NewSchemaValidator(config.WithFormatAssertions()),
		seen:    map[string]bool{},
	}
}

// validationErrors lists the validator's errors one a line, each with the
// schema failures under it.
func validationErrors(errs []*liberrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "%s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n  at %s: %s", f.FieldPath, f.Reason)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// check asserts that one real answer is what the document promises. The
// validator checks that the status and Content-Type are documented, that
// the required headers are there and that a JSON body validates against
// its schema, and, for an answer the server accepted, that the request's
// parameters are valid. The rest is ours: every query parameter sent is
// documented, an answer without a documented body sends none, and the
// exports (JSON Lines, CSV) that the validator does not read are checked
// line by line.
func (ct *contract) check(tb testing.TB, target string, res *http.Response, body []byte) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	res.Body = io.NopCloser(bytes.NewReader(body))
	ok, errs := ct.v.ValidateHttpResponse(req, res)
	if res.StatusCode < 400 {
		reqOK, reqErrs := ct.v.ValidateHttpRequest(req)
		ok, errs = ok && reqOK, append(errs, reqErrs...)
	}
	if !ok {
		tb.Errorf("%s: the answer (%d) breaks the contract:\n%sbody: %.2000s", target, res.StatusCode, validationErrors(errs), body)
	}
	item, _, tpl := paths.FindPath(req, ct.model, nil)
	if item == nil || item.Get == nil {
		tb.Fatalf("%s: no documented operation", target)
	}
	ct.checkParams(tb, target, item.Get, req)
	status := strconv.Itoa(res.StatusCode)
	resp := item.Get.Responses.Codes.GetOrZero(status)
	if resp == nil {
		tb.Fatalf("%s: status %s is not documented for %s; body: %s", target, status, tpl, body)
	}
	ct.mu.Lock()
	ct.seen[item.Get.OperationId+" "+status] = true
	ct.mu.Unlock()
	if orderedmap.Len(resp.Content) == 0 {
		if len(body) > 0 {
			tb.Errorf("%s: %s has no documented body but sent %q", target, status, body)
		}
		return
	}
	mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	media := resp.Content.GetOrZero(mt)
	if err != nil || media == nil {
		tb.Fatalf("%s: Content-Type %q is not documented for %s %s", target, res.Header.Get("Content-Type"), tpl, status)
	}
	switch {
	case mt == "application/x-ndjson":
		ct.checkJSONLines(tb, target, body, media)
	case mt == "text/csv":
		checkCSV(tb, target, body)
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		// the validator checked it against its schema
	default:
		if len(bytes.TrimSpace(body)) == 0 {
			tb.Errorf("%s: empty %s body", target, mt)
		}
	}
}

// checkJSONLines validates each line of a JSON Lines export against the
// schema its media type names in x-jsonl-item (OpenAPI 3.1 has no word for
// the items of a stream).
func (ct *contract) checkJSONLines(tb testing.TB, target string, body []byte, media *v3.MediaType) {
	tb.Helper()
	var item struct {
		Ref string `yaml:"$ref"`
	}
	if ext := media.Extensions.GetOrZero("x-jsonl-item"); ext == nil || ext.Decode(&item) != nil {
		tb.Fatalf("%s: no x-jsonl-item schema documented", target)
	}
	name, ok := strings.CutPrefix(item.Ref, "#/components/schemas/")
	proxy := ct.model.Components.Schemas.GetOrZero(name)
	if !ok || proxy == nil {
		tb.Fatalf("%s: x-jsonl-item %q is not a component schema", target, item.Ref)
	}
	schema := proxy.Schema()
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if ok, errs := ct.schemas.ValidateSchemaBytesWithVersion(schema, sc.Bytes(), 3.1); !ok {
			tb.Errorf("%s line %d: does not match %s:\n%s%s", target, n, item.Ref, validationErrors(errs), sc.Bytes())
		}
	}
}

func checkCSV(tb testing.TB, target string, body []byte) {
	tb.Helper()
	if len(body) > 0 && !bytes.Contains(body, []byte("\r\n")) {
		tb.Errorf("%s: CSV lines do not end in CRLF (RFC 4180)", target)
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		tb.Fatalf("%s: not CSV with a header row: %v", target, err)
	}
	h := recs[0]
	if h[0] != "rank" || h[len(h)-1] != "index_build" {
		tb.Errorf("%s: header %v, want rank first and index_build last", target, h)
	}
}

// checkParams fails on a query parameter the operation does not document,
// so the document cannot fall behind the handlers' parameters. (The
// validator checks the documented ones, and ignores the others.)
func (ct *contract) checkParams(tb testing.TB, target string, op *v3.Operation, req *http.Request) {
	tb.Helper()
	known := map[string]bool{}
	for _, p := range op.Parameters {
		known[p.Name] = true
	}
	for name := range req.URL.Query() {
		if !known[name] {
			tb.Errorf("%s: parameter %q is not documented for this operation", target, name)
		}
	}
}

// researchContent is the test posts plus enough generated ones to page,
// facet and export.
func researchContent(tb testing.TB) fstest.MapFS {
	tb.Helper()
	fs := testContent(tb)
	topics := []string{"p2p", "filecoin", "blockchain"}
	for i := range 30 {
		topic := topics[i%3]
		fs[fmt.Sprintf("gen-%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: \"Note %d, on %s\"\ndate: %d-%02d-10\nauthor: Writer %d\ntags: [%s, notes]\n---\n\nA note about %s and peer to peer storage, number %d.\n",
			i, topic, 2016+i%6, 1+i%12, i%3, topic, topic, i))}
	}
	return fs
}

func TestContractDocumentsEveryRoute(t *testing.T) {
	ct := loadContract(t)
	s := newTestServer(t)
	documented := map[string]bool{}
	for p := range ct.model.Paths.PathItems.KeysFromOldest() {
		documented[p] = true
	}
	served := map[string]bool{}
	for _, r := range s.engine.Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		p := regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(r.Path, "{$1}")
		served[p] = true
		if !documented[p] {
			t.Errorf("route %s is not in openapi.json", p)
		}
	}
	for p := range documented {
		if !served[p] {
			t.Errorf("openapi.json documents %s, which is not served", p)
		}
	}
}

// contractRequests exercise every operation and every documented status
// that bad input or a cached copy can cause.
var contractRequests = []struct {
	target string
	status int
}{
	{"/api/v1/search?q=filecoin", 200},
	{"/api/v1/search?q=filecion+-bitcoin&mode=auto", 200},
	{"/api/v1/search?q=title%3A%28peer+OR+storage%29+date%3A2016..2021&mode=advanced", 200},
	{"/api/v1/search?q=%22unclosed&mode=advanced", 400},
	{"/api/v1/search?q=%28x+OR+y&mode=plain&correct=false", 200},
	{"/api/v1/search?q=p2p&tag=p2p&author=writer+0&from=2016&to=2021-12&sort=newest&page=2&per_page=3&facets=tags,authors&facets=year,month&facet_size=2", 200},
	{"/api/v1/search?q=storage&fields=slug,title,fragments&highlight=on&fragments=1&fragment_size=60", 200},
	{"/api/v1/search?q=zebrafish", 200},
	{"/api/v1/search?q=p2p&format=jsonl", 200},
	{"/api/v1/search?q=p2p&format=csv&highlight=true", 200},
	{"/api/v1/search.jsonl?q=note&fields=slug,date", 200},
	{"/api/v1/search.csv?q=note&sort=oldest&format=csv", 200},
	{"/api/v1/search.csv?q=zebrafish", 200},
	{"/api/v1/posts", 200},
	{"/api/v1/posts?tag=filecoin&sort=oldest&per_page=2&fields=slug,date&facets=year", 200},
	{"/api/v1/posts?format=jsonl", 200},
	{"/api/v1/posts/" + seedSlug, 200},
	{"/api/v1/posts/filecoin-markets/related", 200},
	{"/api/v1/posts/" + seedSlug + "/cite", 200},
	{"/api/v1/posts/" + seedSlug + "/cite?format=ris", 200},
	{"/api/v1/posts/" + seedSlug + "/cite?format=csl-json", 200},
	{"/api/v1/trends?q=filecoin&q=blockchain&interval=month&from=2017&to=2018-06", 200},
	{"/api/v1/trends?q=", 200},
	{"/api/v1/tags", 200},
	{"/api/v1/authors", 200},
	{"/api/v1/stats", 200},
	{"/api/v1/openapi.json", 200},
	{"/api/v1/suggest?q=fil", 200},
	{"/api/v1/suggest?q=fil&format=opensearch", 200},
	{"/api/v1/suggest?q=fil&format=xml", 400},
	{"/api/v1/search?per_page=1000", 400},
	{"/api/v1/search?sort=random", 400},
	{"/api/v1/search?facets=colour", 400},
	{"/api/v1/search?fields=slug,colour", 400},
	{"/api/v1/search?cursor=nonsense", 400},
	{"/api/v1/search?fragments=9", 400},
	{"/api/v1/search?format=xml", 400},
	{"/api/v1/search.jsonl?sort=random", 400},
	{"/api/v1/search.csv?format=jsonl", 400},
	{"/api/v1/posts?sort=relevance", 400},
	{"/api/v1/posts?fields=score", 400},
	{"/api/v1/posts/nope", 404},
	{"/api/v1/posts/nope/related", 404},
	{"/api/v1/posts/nope/cite", 404},
	{"/api/v1/posts/" + seedSlug + "/cite?format=mla", 400},
	{"/api/v1/trends?q=x&interval=week", 400},
	{"/api/v1/trends", 400},
	{"/api/v1/trends?q=x&from=yesterday", 400},
}

func TestEveryAnswerMatchesTheContract(t *testing.T) {
	ct := loadContract(t)
	s := newResearchServer(t)
	for _, tt := range contractRequests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body: %.500s", res.StatusCode, tt.status, body)
			}
			ct.check(t, tt.target, res, []byte(body))
			if tt.status != 200 {
				return
			}
			again := httptest.NewRequest(http.MethodGet, tt.target, nil)
			again.Header.Set("If-None-Match", res.Header.Get("ETag"))
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, again)
			if rec.Code != http.StatusNotModified {
				t.Fatalf("If-None-Match with the ETag: status %d, want 304", rec.Code)
			}
			ct.check(t, tt.target, rec.Result(), rec.Body.Bytes())
		})
	}
	t.Run("every operation answered", func(t *testing.T) {
		var missing []string
		for p, item := range ct.model.Paths.PathItems.FromOldest() {
			for status := range item.Get.Responses.Codes.KeysFromOldest() {
				key := item.Get.OperationId + " " + status
				if status[0] != '5' && !ct.seen[key] {
					missing = append(missing, key+" ("+p+")")
				}
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("documented answers no test produced:\n%s", strings.Join(missing, "\n"))
		}
	})
}

func newResearchServer(tb testing.TB) *Server {
	tb.Helper()
	return newServerFor(tb, researchContent(tb), Deps{})
}
