package privatefile

import (
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
)

// WriteFile replaces path with data (mode 0600) so that a process killed
// at any point leaves either the old or the new file.
func WriteFile(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("could not write cache: %w", err)
	}
	return nil
}
