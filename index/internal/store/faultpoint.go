//go:build !faultinject

package store

// FaultPoint marks a stage of a full build (see faultpoint_inject.go,
// built only with the faultinject tag for the fault tests). In the
// program it does nothing and compiles away.
func FaultPoint(*Store, string) {}

// FaultBatchSize is the batch size to use instead of n; in the program, n.
func FaultBatchSize(n int) int { return n }
