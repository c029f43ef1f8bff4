//go:build race

package web

// raceBuild is true in a -race build. A test that only checks agreement
// on the real corpus skips there: the plain test run covers it, and the
// race detector would spend minutes building the corpus to find nothing.
const raceBuild = true
