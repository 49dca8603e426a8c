//go:build !linux && !darwin && !windows

package backend

import (
	"errors"
	"time"
)

// vaultAddress: no store, nothing to remember verdicts by.
func vaultAddress() string { return "" }

// openVault reports that this platform has no supported secret store.
func openVault(time.Duration, bool, string, []string) (vault, error) {
	return nil, errors.New("no supported secret store on this platform")
}
