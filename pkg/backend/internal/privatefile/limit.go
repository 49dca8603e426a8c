package privatefile

import (
	"errors"
	"fmt"
)

// ErrTooLarge marks a file larger than the limit its reader gave: not one
// that kcc-cache wrote.
var ErrTooLarge = errors.New("too large")

func tooLarge(path string, max int) error {
	return fmt.Errorf("%s is larger than %d bytes: %w", path, max, ErrTooLarge)
}
