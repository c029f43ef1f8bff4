// Package index is the only package that talks to bleve. It owns the
// mapping, builds fresh indexes from a content folder, keeps the live index
// behind an alias so a new build can be switched in without readers noticing,
// and answers typed search requests with typed results.
//
// On disk an index root holds one folder per build under builds/ and a
// CURRENT file naming the build that serves. A build is written completely
// before CURRENT is replaced (write, fsync, rename), so a crash at any point
// leaves the previous build serving and the next run starts clean.
package index
