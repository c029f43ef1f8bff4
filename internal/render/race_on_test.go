//go:build race

package render

// raceEnabled is true in a -race build, where the largest hostile inputs
// are skipped: the plain test run covers them, and the instrumented build
// is many times slower without finding more.
const raceEnabled = true
