//go:build !linux && !darwin && !windows

package backend

import (
	"errors"
	"time"
)

// openVault reports that this platform has no supported secret store.
func openVault(time.Duration) (vault, error) {
	return nil, errors.New("no supported secret store on this platform")
}
