//go:build race

package post

// raceDetector is set when the tests run under -race, which makes the
// single-goroutine 100,000-file walk many times slower and adds nothing.
const raceDetector = true
