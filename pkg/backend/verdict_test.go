package backend

import (
	"strings"
	"testing"
	"time"
)

func TestUnusableVerdict(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	v := unusableVerdict{dir: dir, address: "unix:path=/run/user/1000/bus", now: func() time.Time { return now }}
	if _, ok := v.recall(); ok {
		t.Fatal("recalled a verdict never made")
	}
	v.remember("the Secret Service did not answer within 500ms")
	reason, ok := v.recall()
	if !ok || !strings.Contains(reason, "did not answer") || !strings.Contains(reason, "remembered") {
		t.Fatalf("recall = %q, %v", reason, ok)
	}

	other := v
	other.address = "unix:path=/tmp/other-bus"
	if _, ok := other.recall(); ok {
		t.Error("a verdict about one bus was applied to another")
	}
	later := v
	later.now = func() time.Time { return now.Add(verdictTTL + time.Second) }
	if _, ok := later.recall(); ok {
		t.Error("a verdict older than its TTL was recalled")
	}
	none := v
	none.address = ""
	none.remember("no bus")
	if _, ok := none.recall(); ok {
		t.Error("without an address nothing may be remembered")
	}
}
