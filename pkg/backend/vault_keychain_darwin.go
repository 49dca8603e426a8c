package backend

import (
	"time"

	"github.com/99designs/keyring"
)

// openVault opens the user's default macOS Keychain. The Keychain backend
// needs cgo: a CGO_ENABLED=0 build compiles but reports it unavailable, and
// auto then uses the file.
func openVault(timeout time.Duration, _ bool, _ string, _ []string) (vault, error) {
	return open99(keyring.Config{
		AllowedBackends: []keyring.BackendType{keyring.KeychainBackend},
		// Trusting the creating binary spares a "allow access?" dialog on
		// every read; items stay on this Mac and readable only when unlocked.
		KeychainTrustApplication:       true,
		KeychainAccessibleWhenUnlocked: true,
		KeychainSynchronizable:         false,
	}, "macOS Keychain", 0, timeout)
}

// vaultAddress is empty: this store has no address that could differ between
// sessions, and its probe has no slow path worth remembering.
func vaultAddress() string { return "" }
