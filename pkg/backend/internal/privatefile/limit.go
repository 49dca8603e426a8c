package privatefile

import "fmt"

// TooLargeError is a file larger than the limit its reader gave: not one
// that kcc-cache wrote.
type TooLargeError struct {
	Path string
	Max  int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d bytes", e.Path, e.Max)
}

func tooLarge(path string, max int) error { return &TooLargeError{Path: path, Max: max} }
