//go:build !race

package render

// timeScale stretches the time bounds of the tests: the race detector
// makes rendering several times slower.
const timeScale = 1

const raceEnabled = false
