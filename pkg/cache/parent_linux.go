package cache

import (
	"bytes"
	"os"
	"strconv"
)

// ParentID identifies the calling process: its PID and its start time (in
// clock ticks since boot, from /proc), so that a reused PID is not taken for
// the same process.
func ParentID() string {
	ppid := os.Getppid()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(ppid) + "/stat")
	if err != nil {
		return strconv.Itoa(ppid)
	}
	// The command name (field 2) may contain spaces and parentheses; fields
	// after the last ')' are plain. starttime is field 22, the 20th after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return strconv.Itoa(ppid)
	}
	fields := bytes.Fields(b[i+1:])
	if len(fields) < 20 {
		return strconv.Itoa(ppid)
	}
	return strconv.Itoa(ppid) + "-" + string(fields[19])
}
