// Package secretservice is a small client of the freedesktop Secret Service
// API (GNOME Keyring, KWallet, KeePassXC) over the D-Bus session bus: it
// connects only when opened, bounds every wait, and reads and writes this
// program's items only. Linux only. Why a client of our own, what a hit
// costs, and why one call at a time and no alias paths: docs/design.md §12.
package secretservice
