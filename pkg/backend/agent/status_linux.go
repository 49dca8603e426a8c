package agent

import "github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"

// Status says, for --info, whether the agent of the current session bus
// runs, and where.
func Status() string {
	addr, err := secretservice.SessionBusAddress()
	if err != nil {
		return "none: " + err.Error()
	}
	sock := Socket(addr)
	switch {
	case sock == "":
		return "none: XDG_RUNTIME_DIR is not set (or too long for a socket)"
	case agentRunning(sock):
		return "running at " + sock
	case recentlyFailed(sock):
		return "not running: it failed to start less than " + agentFailedFor.String() + " ago (run kcc-cache --secret-service-agent to see why)"
	}
	return "not running (the next Secret Service read or store starts it at " + sock + ")"
}
