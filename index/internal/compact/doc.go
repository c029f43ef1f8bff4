// Package compact finishes a fresh build the way bleve's scorch engine
// does not by itself: one forced merge into a single segment whose
// failure (a full disk) is seen and reported in time rather than retried
// for ever, errors of scorch's background work routed to the build they
// belong to, and the wait until the merged-away segments are deleted.
package compact
