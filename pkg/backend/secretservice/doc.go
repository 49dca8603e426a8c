// Package secretservice is a small client of the freedesktop Secret Service
// API (GNOME Keyring, KWallet, KeePassXC) over the D-Bus session bus: it
// connects only when opened, bounds every wait, and reads and writes this
// program's items only. Linux only; docs/design.md says why it is ours.
package secretservice
