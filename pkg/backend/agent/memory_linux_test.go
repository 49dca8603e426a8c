package agent

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
)

// The agent serves a secret from memory for agentMemory after reading it,
// by its own clock only.
func TestAgentMemoryAge(t *testing.T) {
	const item = dbus.ObjectPath("/org/freedesktop/secrets/collection/login/1")
	for _, tt := range []struct {
		name   string
		after  time.Duration
		item   dbus.ObjectPath
		served bool
	}{
		{"at once", 0, item, true},
		{"just inside", agentMemory - time.Nanosecond, item, true},
		{"at the bound", agentMemory, item, false},
		{"long after", time.Hour, item, false},
		{"another item", 0, item + "0", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clock := 1000 * time.Hour
			mem := newAgentSecrets(0)
			mem.now = func() time.Duration { return clock }
			mem.keep("k", item, []byte("s"))
			clock += tt.after
			if _, ok := mem.lookup("k", tt.item); ok != tt.served {
				t.Fatalf("served %v, want %v", ok, tt.served)
			}
		})
	}
}

// The agent's clock is CLOCK_BOOTTIME: unlike the wall clock it never
// steps back (setting the wall clock back an hour kept every secret in
// memory an hour more), and unlike Go's monotonic clock it counts a
// suspend. (The wall clock cannot be set in a test without setting it for
// the whole machine, and faketime does not reach a Go binary's clock
// reads: so this pins which clock the agent reads.)
func TestAgentClockIsBootTime(t *testing.T) {
	boot := func() time.Duration {
		var ts unix.Timespec
		if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ts.Nano())
	}
	before := boot()
	got := agentClock()
	after := boot()
	if got < before || got > after {
		t.Fatalf("agentClock() = %v, want CLOCK_BOOTTIME, between %v and %v", got, before, after)
	}
}
