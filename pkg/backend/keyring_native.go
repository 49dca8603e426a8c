//go:build linux || darwin || windows

package backend

import "time"

// What the per-OS vaults share; a platform without one (keyring_other.go)
// has no use for it.

// callTimeout bounds each call once the store has answered the probe. It is
// more generous than the probe: a write makes the daemon rewrite its keyring
// file, and failing a write that was about to succeed costs a plugin run
// later. A hang still ends, which is what matters to kubectl.
func callTimeout(probe time.Duration) time.Duration {
	return max(probe, 2*time.Second)
}

// itemLabelPrefix starts the label of every item we create, so that a human
// browsing Seahorse, Keychain Access or Credential Manager knows whose it is.
const itemLabelPrefix = "kube-credential-cache: "
