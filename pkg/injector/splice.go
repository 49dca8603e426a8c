package injector

import (
	"errors"
	"fmt"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// The byte splicing (node positions to offsets, extents, edits) lives in
// internal/yamlsplice, shared with pkg/connect/kubeconfig; these names keep
// the injector's code as it reads.
type (
	source = ys.Source
	edit   = ys.Edit
)

// byHand adds the way out to a layout the splicer refuses.
func byHand(err error) error {
	var layout *ys.LayoutError
	if errors.As(err, &layout) {
		return fmt.Errorf("%w; wrap this user by hand", err)
	}
	return err
}
