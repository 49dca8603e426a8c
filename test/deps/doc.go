// Package deps holds the dependency budget of every binary under cmd/: which
// modules each may link, per GOOS, checked with go list. See
// docs/design.md §10.
package deps
