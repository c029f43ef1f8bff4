//go:build race

package index

// raceEnabled is true in a -race build. Tests that only measure ranking on
// the real corpus skip there: the plain test run covers them, and the race
// detector would spend a minute building the corpus to find nothing.
const raceEnabled = true
