// Package metrics is the only package that imports the Prometheus client.
// It owns a registry per server (never the global default one, so two
// servers in one test binary keep separate figures) and exposes typed
// methods for what the archive measures: requests, searches, the index.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the archive's collectors and the registry they live in.
// Its methods are safe for concurrent use.
type Metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	searchLatency *prometheus.HistogramVec
	zeroHits      *prometheus.CounterVec
	inflight      prometheus.Gauge
	rejected      *prometheus.CounterVec
}

// latencyBuckets spans what a search costs here: sub-millisecond term
// lookups up to the multi-second timeout.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New makes a registry holding the archive's collectors plus the Go
// runtime and process collectors (heap, goroutines, RSS, open files).
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "archive_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "archive_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern, method and status code.",
			Buckets: latencyBuckets,
		}, []string{"route", "method", "status"}),
		searchLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "archive_search_duration_seconds",
			Help:    "Time spent in the index per search, by query mode.",
			Buckets: latencyBuckets,
		}, []string{"mode"}),
		zeroHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "archive_search_zero_hits_total",
			Help: "Searches that found no post, by query mode.",
		}, []string{"mode"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "archive_search_inflight",
			Help: "Searches running now.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "archive_search_rejected_total",
			Help: "Searches refused with a 503, by reason (overload, timeout).",
		}, []string{"reason"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.searchLatency, m.zeroHits, m.inflight, m.rejected,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records one answered HTTP request. route is the pattern that
// matched (such as /posts/:slug, or "unmatched"), never the raw path.
// The method and status are folded into fixed sets here, so no client can
// grow the label values: 12,000 requests with random methods once made
// the scrape 197 MB.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	code := StatusLabel(status)
	method = MethodLabel(method)
	m.requests.WithLabelValues(route, method, code).Inc()
	m.latency.WithLabelValues(route, method, code).Observe(took.Seconds())
}

// MethodLabel is method if it is one of HTTP's standard methods, else
// "other".
func MethodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// StatusLabel is the status code as text if it is a real one (100-599),
// else "other".
func StatusLabel(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status)
}

// Search records one finished search in the given query mode.
func (m *Metrics) Search(mode string, took time.Duration, total uint64) {
	m.searchLatency.WithLabelValues(mode).Observe(took.Seconds())
	if total == 0 {
		m.zeroHits.WithLabelValues(mode).Inc()
	}
}

// SearchStarted counts a search as in flight; call the returned function
// when it ends.
func (m *Metrics) SearchStarted() (done func()) {
	m.inflight.Inc()
	return m.inflight.Dec
}

// Rejected counts a search refused for reason ("overload", "timeout").
func (m *Metrics) Rejected(reason string) {
	m.rejected.WithLabelValues(reason).Inc()
}
