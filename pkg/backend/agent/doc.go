// Package agent is the Secret Service agent: one long-lived kcc-cache per
// user and session bus that keeps a Secret Service session open and reads
// secrets for the short-lived ones over a unix socket, and the client side
// that asks it first (Vault). Why, and what it never changes:
// docs/design.md §12.
package agent
