//go:build race

package main

// raceEnabled is true in a -race build, whose instrumented children are
// too slow for the crash tests to be worth it: they check what a killed
// process leaves on disk, which the race detector cannot see.
const raceEnabled = true
