package connect

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress is how far a scan has come: Done of Total (profile, region)
// pairs answered, Clusters found so far.
type Progress struct {
	Done, Total, Clusters int
}

// ProgressLine shows a scan's progress as one line that rewrites itself, on
// a terminal only and only once the scan has taken longer than Delay:
// a quick scan prints nothing, and a redirected stderr gets no control
// characters.
type ProgressLine struct {
	W        io.Writer
	Terminal bool
	Delay    time.Duration
	now      func() time.Time

	mu      sync.Mutex
	start   time.Time
	shown   bool
	last    Progress
	stopped bool
}

// NewProgressLine starts the clock.
func NewProgressLine(w io.Writer, terminal bool, delay time.Duration) *ProgressLine {
	return &ProgressLine{W: w, Terminal: terminal, Delay: delay, now: time.Now, start: time.Now()}
}

// Update records p and redraws the line if it is due.
func (l *ProgressLine) Update(p Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = p
	l.draw()
}

// Tick redraws the line if it is due; call it from a ticker so a scan
// stuck on one slow region still shows up.
func (l *ProgressLine) Tick() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.draw()
}

func (l *ProgressLine) draw() {
	if !l.Terminal || l.stopped || l.now().Sub(l.start) < l.Delay {
		return
	}
	l.shown = true
	fmt.Fprintf(l.W, "\r\033[Kscanning: %d/%d profile-regions answered, %d clusters", l.last.Done, l.last.Total, l.last.Clusters)
}

// Stop erases the line, if it was shown, so that what follows starts clean.
func (l *ProgressLine) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	if l.shown {
		fmt.Fprint(l.W, "\r\033[K")
	}
}
