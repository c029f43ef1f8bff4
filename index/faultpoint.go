//go:build !faultinject

package index

// faultPoint marks a stage of a full build (see faultpoint_inject.go,
// built only with the faultinject tag for the fault tests). In the
// program it does nothing and compiles away.
func faultPoint(*Store, string) {}

// faultBatchSize is the batch size to use instead of n; in the program, n.
func faultBatchSize(n int) int { return n }
