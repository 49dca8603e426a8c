//go:build !linux

package backend

import (
	"errors"
	"time"
)

// AgentOptions are the agent's settings (ssagent_linux.go).
type AgentOptions struct {
	Timeout time.Duration
	Idle    time.Duration
}

// ErrAgentRunning is what ServeAgent returns when another agent already
// serves this bus.
var ErrAgentRunning = errors.New("another agent serves this session bus")

// ServeAgent exists on Linux only: elsewhere the OS's secret store is
// reached without a bus client's start-up cost.
func ServeAgent(AgentOptions) error {
	return errors.New("the Secret Service agent runs on Linux only")
}

// AgentStatus is empty: there is no agent on this OS.
func AgentStatus() string { return "" }
