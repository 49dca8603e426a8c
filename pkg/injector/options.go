package injector

import (
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// DefaultCommand is the command Inject puts in place of each exec plugin.
const DefaultCommand = contract.CacheCommand

// MarkerEnv is the env entry Inject adds only when Restore needs to know that
// args or env was absent or null before the edit. (The other entry it adds,
// execcred.UserEnv, keeps users with identical plugin commands apart.)
const MarkerEnv = contract.InjectedEnv

// Options select what Inject and Restore do.
type Options struct {
	// Command replaces each exec command; DefaultCommand when empty.
	Command string
	// Users limits the edit to the users with these names; all when empty.
	Users []string
}

func (o Options) command() string {
	if o.Command == "" {
		return DefaultCommand
	}
	return o.Command
}

func (o Options) selects(name string) bool {
	if len(o.Users) == 0 {
		return true
	}
	for _, u := range o.Users {
		if u == name {
			return true
		}
	}
	return false
}

// IsCacheCommand reports whether command runs kcc-cache, whatever path was
// used to name it, so that a user wrapped by hand or with another -c is
// recognised as wrapped.
func IsCacheCommand(command string) bool {
	base := command[strings.LastIndexAny(command, `/\`)+1:]
	base = strings.TrimSuffix(strings.ToLower(base), ".exe")
	return base == DefaultCommand
}

func (o Options) wrapped(command string) bool {
	return IsCacheCommand(command) || command == o.command()
}
