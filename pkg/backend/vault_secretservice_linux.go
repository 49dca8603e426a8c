package backend

import (
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/agent"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// openVault opens the Secret Service of the session bus, with the agent in
// front when agentCommand is set (agent.Vault). busBound bounds the bus's
// answer; with quick (auto) it also bounds the session's start.
func openVault(busBound time.Duration, quick bool, stateDir string, agentCommand []string) (vault, error) {
	o := secretservice.Options{Bound: busBound, Quick: quick}
	if stateDir != "" {
		o.HintDir = filepath.Join(stateDir, "items")
	}
	if len(agentCommand) > 0 {
		v, err := agent.OpenVault(o, agentCommand)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	c, err := secretservice.Open(o)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// vaultAddress is the session bus address, by which auto remembers a verdict:
// a desktop session and an SSH session of the same user share the cache
// directory but not the bus. Empty when there is no bus.
func vaultAddress() string {
	addr, err := secretservice.SessionBusAddress()
	if err != nil {
		return ""
	}
	return addr
}
