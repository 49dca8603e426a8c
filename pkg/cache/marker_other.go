//go:build !unix

package cache

import "os"

// createMarker creates the empty file name, failing if it exists.
func createMarker(name string) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}
