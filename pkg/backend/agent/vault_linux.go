package agent

import (
	"io/fs"
	"os"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// Vault is the Secret Service client with the agent in front of it: a read
// whose item a hint names asks a running agent first, and a read or store
// made without one starts one for the hits to come.
type Vault struct {
	*secretservice.Client
	addr    string
	sock    string   // the agent's socket
	command []string // starts an agent when none answered
	bound   time.Duration
	try     bool // the socket was there at Open, so the bus was not dialled
	seen    bool // an agent answered
	via     bool // the last read was the agent's
}

// OpenVault opens the Secret Service as secretservice.Open does, with the
// agent run by command in front: when the agent's socket is there, the bus
// is dialled only if the agent does not serve.
func OpenVault(o secretservice.Options, command []string) (*Vault, error) {
	addr := o.Address
	if addr == "" {
		var err error
		if addr, err = secretservice.SessionBusAddress(); err != nil {
			return nil, err
		}
	}
	o.Address = addr
	v := &Vault{addr: addr, sock: Socket(addr), command: command, bound: o.Bound}
	if fi, err := os.Stat(v.sock); v.sock != "" && err == nil && fi.Mode()&fs.ModeSocket != 0 {
		v.try, o.DialLater = true, true
	}
	c, err := secretservice.Open(o)
	if err != nil {
		return nil, err
	}
	v.Client = c
	return v, nil
}

// Get reads key's blob through the agent when one runs and a hint names the
// item, else (or when the agent does not serve it) from the Secret Service.
func (v *Vault) Get(key string) ([]byte, error) {
	if v.try {
		if item, hinted := v.Client.Hint(key); hinted {
			// Connected only now, and the request written at once: the agent
			// wakes once for both.
			v.try = false
			if a := dialAgent(v.sock, v.bound); a != nil {
				v.seen = true
				if blob := a.get(key, item); blob != nil {
					v.via = true
					return blob, nil
				}
			}
		}
	}
	blob, err := v.Client.Get(key)
	if err == nil && !v.seen {
		// Read without an agent: start one for the hits to come.
		spawnAgent(v.command, v.sock, v.addr)
	}
	return blob, err
}

// Set stores blob as the client does, and starts an agent if none answered.
func (v *Vault) Set(key, label string, blob []byte) error {
	if err := v.Client.Set(key, label, blob); err != nil {
		return err
	}
	if !v.seen {
		spawnAgent(v.command, v.sock, v.addr)
	}
	return nil
}

// Route says where the last read came from, for debug output.
func (v *Vault) Route() string {
	if v.via {
		return "through the agent at " + v.sock
	}
	return v.Client.Route()
}
