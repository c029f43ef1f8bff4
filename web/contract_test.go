package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// docURL is where the contract's schemas are registered for $ref lookups.
const docURL = "https://archive.test/openapi.json"

// contract is the embedded OpenAPI document, ready to check answers with.
type contract struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
	seen     map[string]bool // "getPost 404" for every checked answer
}

func loadContract(tb testing.TB) *contract {
	tb.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		tb.Fatalf("openapi.json is not JSON: %v", err)
	}
	checkAgainstOASSchema(tb)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDoc))
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.AddResource(docURL, parsed); err != nil {
		tb.Fatal(err)
	}
	return &contract{doc: doc, compiler: c, schemas: map[string]*jsonschema.Schema{}, seen: map[string]bool{}}
}

// checkAgainstOASSchema validates the document itself against the
// OpenAPI 3.1 schema published by the OpenAPI Initiative.
func checkAgainstOASSchema(tb testing.TB) {
	tb.Helper()
	f, err := os.Open("testdata/oas-3.1-schema.json")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	meta, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("https://archive.test/oas-3.1-schema.json", meta); err != nil {
		tb.Fatal(err)
	}
	sch, err := c.Compile("https://archive.test/oas-3.1-schema.json")
	if err != nil {
		tb.Fatal(err)
	}
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDoc))
	if err := sch.Validate(doc); err != nil {
		tb.Fatalf("openapi.json is not a valid OpenAPI 3.1 document: %v", err)
	}
}

// schema compiles the schema at a JSON pointer into the document.
func (ct *contract) schema(tb testing.TB, ptr string) *jsonschema.Schema {
	tb.Helper()
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if s, ok := ct.schemas[ptr]; ok {
		return s
	}
	s, err := ct.compiler.Compile(docURL + "#" + ptr)
	if err != nil {
		tb.Fatalf("compile %s: %v", ptr, err)
	}
	ct.schemas[ptr] = s
	return s
}

func escapePtr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// lookup follows a JSON pointer, and a $ref at its end, into the document.
func (ct *contract) lookup(ptr string) (map[string]any, string) {
	var v any = ct.doc
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, _ := v.(map[string]any)
		v = m[part]
	}
	m, _ := v.(map[string]any)
	if r, ok := m["$ref"].(string); ok {
		return ct.lookup(strings.TrimPrefix(r, "#"))
	}
	return m, ptr
}

// operation finds the documented path template that matches a request path.
func (ct *contract) operation(path string) (template string, op map[string]any) {
	paths := ct.doc["paths"].(map[string]any)
	for tpl := range paths {
		re := "^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tpl), `[^/]+`) + "$"
		if regexp.MustCompile(re).MatchString(path) {
			op, _ := paths[tpl].(map[string]any)["get"].(map[string]any)
			return tpl, op
		}
	}
	return "", nil
}

// check asserts that one real answer is what the document promises: the
// status is documented, the required headers are there, the parameters
// sent are documented, and the body validates against its schema.
func (ct *contract) check(tb testing.TB, target string, res *http.Response, body []byte) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	tpl, op := ct.operation(req.URL.Path)
	if op == nil {
		tb.Fatalf("%s: no documented operation", target)
	}
	ct.checkParams(tb, target, op, req)
	status := strconv.Itoa(res.StatusCode)
	opPtr := "/paths/" + escapePtr(tpl) + "/get"
	resp, respPtr := ct.lookup(opPtr + "/responses/" + status)
	if resp == nil {
		tb.Fatalf("%s: status %s is not documented for %s; body: %s", target, status, tpl, body)
	}
	ct.mu.Lock()
	ct.seen[op["operationId"].(string)+" "+status] = true
	ct.mu.Unlock()
	ct.checkHeaders(tb, target, res, resp)
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			tb.Errorf("%s: %s has no documented body but sent %q", target, status, body)
		}
		return
	}
	mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if err != nil || content[mt] == nil {
		tb.Fatalf("%s: Content-Type %q is not documented for %s %s", target, res.Header.Get("Content-Type"), tpl, status)
	}
	mediaPtr := respPtr + "/content/" + escapePtr(mt)
	switch {
	case mt == "application/x-ndjson":
		ct.checkJSONLines(tb, target, body, mediaPtr)
	case mt == "text/csv":
		checkCSV(tb, target, body)
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		ct.validate(tb, target, body, mediaPtr+"/schema")
	default:
		if len(bytes.TrimSpace(body)) == 0 {
			tb.Errorf("%s: empty %s body", target, mt)
		}
	}
}

func (ct *contract) validate(tb testing.TB, target string, body []byte, ptr string) {
	tb.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("%s: body is not JSON: %v\n%s", target, err, body)
	}
	if err := ct.schema(tb, ptr).Validate(v); err != nil {
		tb.Errorf("%s: answer does not match %s:\n%v\nbody: %.2000s", target, ptr, err, body)
	}
}

func (ct *contract) checkJSONLines(tb testing.TB, target string, body []byte, mediaPtr string) {
	tb.Helper()
	media, _ := ct.lookup(mediaPtr)
	item, ok := media["x-jsonl-item"].(map[string]any)["$ref"].(string)
	if !ok {
		tb.Fatalf("%s: no x-jsonl-item schema documented", target)
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		ct.validate(tb, fmt.Sprintf("%s line %d", target, n), sc.Bytes(), strings.TrimPrefix(item, "#"))
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

func (ct *contract) checkHeaders(tb testing.TB, target string, res *http.Response, resp map[string]any) {
	tb.Helper()
	hs, _ := resp["headers"].(map[string]any)
	for name, h := range hs {
		hm := h.(map[string]any)
		if r, ok := hm["$ref"].(string); ok {
			hm, _ = ct.lookup(strings.TrimPrefix(r, "#"))
		}
		if req, _ := hm["required"].(bool); req && res.Header.Get(name) == "" {
			tb.Errorf("%s: required header %s is missing", target, name)
		}
	}
}

// checkParams fails on a query parameter the operation does not document,
// so the document cannot fall behind the handlers' parameters.
func (ct *contract) checkParams(tb testing.TB, target string, op map[string]any, req *http.Request) {
	tb.Helper()
	known := map[string]bool{}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm := p.(map[string]any)
		if r, ok := pm["$ref"].(string); ok {
			pm, _ = ct.lookup(strings.TrimPrefix(r, "#"))
		}
		known[pm["name"].(string)] = true
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
	for p := range ct.doc["paths"].(map[string]any) {
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
		for p, item := range ct.doc["paths"].(map[string]any) {
			op := item.(map[string]any)["get"].(map[string]any)
			for status := range op["responses"].(map[string]any) {
				key := op["operationId"].(string) + " " + status
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
