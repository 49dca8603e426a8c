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
	pid, start, ok := strings.Cut(a, "-")
	if !ok || pid != strconv.Itoa(os.Getppid()) {
		t.Fatalf("ParentID = %q, want <ppid>-<start time>", a)
	}
	if _, err := strconv.ParseUint(start, 10, 64); err != nil {
		t.Fatalf("start time %q is not a number: %v", start, err)
	}
}
