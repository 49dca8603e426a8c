//go:build !linux

package agent

import (
	"errors"
	"time"
)

// Options are the agent's settings (server_linux.go).
type Options struct {
	Timeout time.Duration
	Idle    time.Duration
}

// ErrRunning is what Serve returns when another agent already
// serves this bus.
var ErrRunning = errors.New("another agent serves this session bus")

// Serve exists on Linux only: elsewhere the OS's secret store is
// reached without a bus client's start-up cost.
func Serve(Options) error {
	return errors.New("the Secret Service agent runs on Linux only")
}

// Status is empty: there is no agent on this OS.
func Status() string { return "" }
