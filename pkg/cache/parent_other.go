//go:build !linux

package cache

import (
	"os"
	"strconv"
)

// ParentID identifies the calling process by PID. Without a cheap start time
// a reused PID may look like the same process; the cost is at most one extra
// plugin run per cool-down, never a wrong credential.
func ParentID() string {
	return strconv.Itoa(os.Getppid())
}
