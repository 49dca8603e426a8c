package backend

import (
	"time"

	"github.com/99designs/keyring"
)

// winCredMaxBlob is CRED_MAX_CREDENTIAL_BLOB_SIZE (5 × 512 bytes): the most a
// generic credential can hold. Larger records go to the overflow file.
const winCredMaxBlob = 2560

// openVault opens the Windows Credential Manager; targets read
// "kcc:kube-credential-cache:<key>".
func openVault(timeout time.Duration, _ bool, _ string, _ []string) (vault, error) {
	return open99(keyring.Config{
		AllowedBackends: []keyring.BackendType{keyring.WinCredBackend},
		WinCredPrefix:   "kcc",
	}, "Windows Credential Manager", winCredMaxBlob, timeout)
}

// vaultAddress is empty: this store has no address that could differ between
// sessions, and its probe has no slow path worth remembering.
func vaultAddress() string { return "" }
