package cache

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestParentIDIsStableAndHasStartTime(t *testing.T) {
	a, b := ParentID(), ParentID()
	if a != b {
		t.Fatalf("ParentID changed within one process: %q then %q", a, b)
	}
	parts := strings.SplitN(a, "-", 3)
	if len(parts) != 3 || parts[0] != strconv.Itoa(os.Getppid()) {
		t.Fatalf("ParentID = %q, want <ppid>-<start time>-<command name>", a)
	}
	if _, err := strconv.ParseUint(parts[1], 10, 64); err != nil {
		t.Fatalf("start time %q is not a number: %v", parts[1], err)
	}
	// The command name: a process that execs another keeps its PID and
	// start time but is another caller (gcloud's kubectl execs
	// kubectl.1.NN after asking for the credential itself).
	comm, err := os.ReadFile("/proc/" + parts[0] + "/comm")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(string(comm), "\n"); parts[2] != want {
		t.Fatalf("command name %q, want %q", parts[2], want)
	}
}
