// Package dbus is the small D-Bus client the Secret Service backend needs:
// unix socket transport, EXTERNAL authentication, method calls, and the
// wire encoding of the types the Secret Service API uses.
//
// It replaces github.com/godbus/dbus/v5, whose imports (net, os/user) made
// every kcc-cache start slower, and sends the authentication and Hello in
// one write; it can send several calls before reading their replies (Send,
// then Reply for each serial), which the Secret Service client does not do,
// for gnome-keyring's sake (docs/design.md §3, §12; docs/benchmark.md).
//
// What it does not do, because kcc-cache does not need it: serve objects,
// receive signals, pass file descriptors, connect over TCP.
package dbus
