// Package hygiene holds only tests: they keep the repository to what this
// team wrote. Third-party code comes from its registry (Go modules; npm for
// axe-core, installed by .ci/run), real posts stay in ../shared, and the
// test-only modules stay out of the archive binary.
package hygiene
