package cache

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// ParentID identifies the calling process: its PID, its start time (in
// clock ticks since boot, from /proc), so that a reused PID is not taken for
// the same process, and its command name.
func ParentID() string {
	ppid := os.Getppid()
	// One read into a fixed buffer (the line is ~300 bytes; 1 KiB holds any
	// command name), by the system calls themselves: os.ReadFile would add a
	// stat and a second read to every cache hit, and os.Open the runtime
	// poller's start and registration, which a /proc file does not use.
	fd, err := syscall.Open("/proc/"+strconv.Itoa(ppid)+"/stat", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return strconv.Itoa(ppid)
	}
	var buf [1024]byte
	n, err := syscall.Read(fd, buf[:])
	syscall.Close(fd)
	if err != nil || n <= 0 {
		return strconv.Itoa(ppid)
	}
	b := buf[:n]
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
	// The command name too: a program that runs the plugin and then execs
	// another in its place (gcloud's kubectl runs kubectl.1.NN so) keeps its
	// PID and start time, and its second call is not a retry of the first.
	comm := b[:i]
	if j := bytes.IndexByte(comm, '('); j >= 0 {
		comm = comm[j+1:]
	}
	return strconv.Itoa(ppid) + "-" + string(fields[19]) + "-" + string(comm)
}
