// Package hygiene holds only tests: they keep the repository to what this
// team wrote and the packages to their arrows. Third-party code comes from
// its registry (Go modules; npm for axe-core, installed by .ci/run), real
// posts stay outside the repository, each third-party library is imported
// by its one package, imports point one way (cmd → web → index →
// index/internal/* and internal/*), and the test-only modules stay out of
// the binaries.
package hygiene
