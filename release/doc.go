// Package release holds the checks of a GoReleaser snapshot build: run
// scripts/release-check.sh, which builds one into dist/ and then runs
// `KCC_RELEASE_DIST=dist go test ./release/`. Without KCC_RELEASE_DIST the
// tests skip, so `go test ./...` stays fast.
package release
