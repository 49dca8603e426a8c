package connect

import (
	"bytes"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	now := time.Unix(0, 0)
	line := func(terminal bool) (*ProgressLine, *bytes.Buffer) {
		var b bytes.Buffer
		l := NewProgressLine(&b, terminal, time.Second)
		l.now = func() time.Time { return now }
		l.start = now
		return l, &b
	}

	l, b := line(true)
	l.Update(Progress{Done: 1, Total: 6, Clusters: 3})
	if b.Len() != 0 {
		t.Errorf("a scan shorter than the delay printed %q", b)
	}
	now = now.Add(2 * time.Second)
	l.Tick()
	if want := "\r\033[Kscanning: 1/6 profile-regions answered, 3 clusters"; b.String() != want {
		t.Errorf("after the delay: %q, want %q", b, want)
	}
	l.Stop()
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\033[K")) {
		t.Errorf("Stop did not erase the line: %q", b)
	}
	l.Update(Progress{Done: 6, Total: 6})
	if bytes.Contains(b.Bytes(), []byte("6/6")) {
		t.Errorf("drew after Stop: %q", b)
	}

	l, b = line(false)
	now = now.Add(time.Hour)
	l.Update(Progress{Done: 1, Total: 2})
	l.Stop()
	if b.Len() != 0 {
		t.Errorf("not a terminal, yet printed %q", b)
	}
}
