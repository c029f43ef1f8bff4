//go:build !race

package web

// raceBuild is false in a build without -race (see racebuild_on_test.go).
const raceBuild = false
