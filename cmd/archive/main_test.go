package main

import (
	"os"
	"testing"
)

// TestMain lets a test run the real program in a child process (to kill
// it with SIGKILL): the test binary re-executes itself with
// ARCHIVE_TEST_MAIN=1 and the program's arguments.
func TestMain(m *testing.M) {
	if os.Getenv("ARCHIVE_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
