package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// IndexState is what the metrics report about the serving index build.
type IndexState struct {
	Posts     int           // posts in the serving build
	Rejected  int           // posts the build rejected
	BuiltAt   time.Time     // when the build was committed
	BuildTook time.Duration // how long the (re)index that made it took
	Ready     bool          // the index answers searches (what /readyz says)
}

// WatchIndex reports the serving build's figures, read from state at each
// scrape: a reindex by another process shows up without any bookkeeping.
func (m *Metrics) WatchIndex(state func() IndexState) {
	m.reg.MustRegister(&indexCollector{state: state, now: time.Now})
}

var (
	descPosts = prometheus.NewDesc("archive_index_posts",
		"Posts in the serving index build.", nil, nil)
	descRejected = prometheus.NewDesc("archive_index_rejected_posts",
		"Posts the serving build rejected (bad front matter, duplicate slugs, ...).", nil, nil)
	descBuiltAt = prometheus.NewDesc("archive_index_built_timestamp_seconds",
		"Unix time the serving build was made.", nil, nil)
	descAge = prometheus.NewDesc("archive_index_age_seconds",
		"Seconds since the serving build was made.", nil, nil)
	descBuildTook = prometheus.NewDesc("archive_reindex_duration_seconds",
		"How long the reindex that made the serving build took.", nil, nil)
	descReady = prometheus.NewDesc("archive_index_ready",
		"1 when the index answers searches (what /readyz says), else 0.", nil, nil)
)

type indexCollector struct {
	state func() IndexState
	now   func() time.Time
}

func (c *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPosts, descRejected, descBuiltAt, descAge, descBuildTook, descReady} {
		ch <- d
	}
}

func (c *indexCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.state()
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	ready := 0.0
	if s.Ready {
		ready = 1
	}
	gauge(descReady, ready)
	gauge(descPosts, float64(s.Posts))
	gauge(descRejected, float64(s.Rejected))
	gauge(descBuildTook, s.BuildTook.Seconds())
	if !s.BuiltAt.IsZero() {
		gauge(descBuiltAt, float64(s.BuiltAt.UnixNano())/1e9)
		gauge(descAge, c.now().Sub(s.BuiltAt).Seconds())
	}
}
