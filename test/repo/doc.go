// Package repo checks the repository itself: what is tracked, not what is
// built from it.
package repo
