package agent

import (
	"time"

	"golang.org/x/sys/unix"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
)

// agentMemory bounds how long the agent serves a secret it read without
// reading it again. Any change in the Secret Service forgets every secret
// before that (see agentSecrets); this only bounds the damage of a change
// that sent no signal, which the API says cannot happen.
const agentMemory = time.Minute

// agentSecrets are the secrets the agent read, by key, with the item each
// came from. It holds them as gnome-keyring's own memory does, and forgets
// all of them whenever the Secret Service signals anything at all (an item
// created, changed or deleted, by us or anyone; a collection locked or
// unlocked; the service itself replaced): then the next hit reads again.
// The signal of a change reaches the agent before the change's caller gets
// its answer, and the agent reads what has arrived before it answers from
// memory, so a hit never serves what a finished deletion, replacement or
// lock took away.
type agentSecrets struct {
	seen    uint64 // the connection's signal count when last checked
	entries map[string]agentSecret
	now     func() time.Duration // agentClock; tests fix it
}

type agentSecret struct {
	item   dbus.ObjectPath
	secret []byte        // tagged, as stored
	read   time.Duration // on mem.now's clock
}

func newAgentSecrets(seen uint64) *agentSecrets {
	return &agentSecrets{seen: seen, entries: map[string]agentSecret{}, now: agentClock}
}

// lookup returns key's secret when it was read from item less than
// agentMemory ago.
func (m *agentSecrets) lookup(key string, item dbus.ObjectPath) ([]byte, bool) {
	e, ok := m.entries[key]
	if !ok || e.item != item || m.now()-e.read >= agentMemory {
		return nil, false
	}
	return e.secret, true
}

// keep remembers secret as key's, read from item now.
func (m *agentSecrets) keep(key string, item dbus.ObjectPath, secret []byte) {
	if old, ok := m.entries[key]; ok {
		clear(old.secret)
	}
	if len(m.entries) >= maxAgentSecrets {
		m.forget()
	}
	m.entries[key] = agentSecret{item: item, secret: secret, read: m.now()}
}

// agentClock is the clock of the agent's ages and waits (its memory, its
// idle time, a client's deadline): CLOCK_BOOTTIME, which never steps back
// as the wall clock does when it is set (which kept secrets in memory for
// as long as it was set back), and counts a suspend, which Go's monotonic
// clock does not (a night's sleep is idle time, and age).
func agentClock() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts) // before Linux 2.6.39
	}
	return time.Duration(ts.Nano())
}

// forget drops every secret, overwriting its bytes first.
func (m *agentSecrets) forget() {
	for k, e := range m.entries {
		clear(e.secret)
		delete(m.entries, k)
	}
}

// maxAgentSecrets bounds the agent's memory: far above the identities one
// user has, and cheap to refill.
const maxAgentSecrets = 4096
