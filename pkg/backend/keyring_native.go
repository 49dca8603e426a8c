//go:build linux || darwin || windows

package backend

import "time"

// What the per-OS vaults share; a platform without one (keyring_other.go)
// has no use for it.

// callTimeout bounds each call to the store once its bus has answered. The
// short probe bound is for a bus that never answers (docs/design.md §3); a store
// that is alive but busy is another case: gnome-keyring serves one request at
// a time and rewrites its file on every write (15-50 ms), so when dozens of
// kubectl processes start at once the last one waits seconds. Giving up then
// would cost a plugin run, or a file fallback that other processes do not
// read. A hung store still ends, which is what matters to kubectl.
func callTimeout(probe time.Duration) time.Duration {
	return max(10*probe, 5*time.Second)
}

// itemLabelPrefix starts the label of every item we create, so that a human
// browsing Seahorse, Keychain Access or Credential Manager knows whose it is.
const itemLabelPrefix = "kube-credential-cache: "
