// Package dbus is the small D-Bus client the Secret Service backend needs:
// unix socket transport, EXTERNAL authentication, method calls, and the
// wire encoding of the types the Secret Service API uses.
//
// It replaces github.com/godbus/dbus/v5 in kcc-cache for two reasons, both
// measured (docs/benchmark.md). godbus imports net and os/user, so a build
// with cgo enabled (a plain `go install` on Linux) links libc dynamically
// and every kcc-cache process, hits included, starts slower; and its
// connection waits for each step of the authentication before the next,
// where a cache hit wants as few round trips as possible. This client
// sends the authentication and Hello in one write, and can send several
// calls before reading their replies (Send, then Reply for each serial);
// the Secret Service client does not, for gnome-keyring's sake
// (docs/design.md §12).
//
// What it does not do, because kcc-cache does not need it: serve objects,
// receive signals, pass file descriptors, connect over TCP.
package dbus
