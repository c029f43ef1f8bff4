//go:build race

package render

// timeScale stretches the time bounds of the tests: the race detector
// makes rendering several times slower.
const timeScale = 10

// raceEnabled is true in a -race build, where the largest hostile inputs
// are skipped: the plain test run covers them, and the instrumented build
// is many times slower without finding more.
const raceEnabled = true
