package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Identity is everything that decides which credential a call must get. Two
// calls share a cache entry only when every field is equal.
type Identity struct {
	Argv       []string
	Env        []EnvVar // the variables named in the cache-key list
	APIVersion string
	Server     string
}

// EnvVar is one variable of the cache-key list. Set distinguishes an empty
// value from an absent variable: a plugin may well behave differently.
type EnvVar struct {
	Name  string
	Value string
	Set   bool
}

// keyFormat versions the canonical encoding; bump it when fields change so
// old entries are never read under a new meaning.
const keyFormat = "kcc-key-v1"

// Key is the hex sha256 of a canonical encoding of the identity: a JSON list
// of lists, so no choice of argument or value can collide with another (a
// space-joined argv cannot tell ["a b"] from ["a","b"]). The encoding is
// json.Marshal's of
//
//	[keyFormat, argv, [[name, value] or [name] for unset, ...], apiVersion, server]
//
// written by hand (canonical, below) so that a hit does not start
// encoding/json's reflection; TestKeyIsJSONMarshals and FuzzCanonical hold
// it to json.Marshal byte for byte, since keys on disk depend on it.
func (id Identity) Key() string {
	sum := sha256.Sum256(id.canonical())
	return hex.EncodeToString(sum[:])
}

func (id Identity) canonical() []byte {
	b := make([]byte, 0, 256)
	b = append(b, '[')
	b = appendJSONString(b, keyFormat)
	b = append(b, ',')
	b = appendJSONStrings(b, id.Argv)
	b = append(b, ",["...)
	for i, e := range id.Env {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, e.Name)
		if e.Set {
			b = append(b, ',')
			b = appendJSONString(b, e.Value)
		}
		b = append(b, ']')
	}
	b = append(b, "],"...)
	b = appendJSONString(b, id.APIVersion)
	b = append(b, ',')
	b = appendJSONString(b, id.Server)
	return append(b, ']')
}

// User is the kubeconfig user name, when kcc-injector or the user set it.
func (id Identity) User() string {
	for _, e := range id.Env {
		if e.Name == execcred.UserEnv {
			return e.Value
		}
	}
	return ""
}

// Command is the plugin's program name, without its directory or arguments,
// which may carry secrets.
func (id Identity) Command() string {
	if len(id.Argv) == 0 {
		return ""
	}
	return filepath.Base(id.Argv[0])
}

// Label is the human description of an entry; never a secret.
func (id Identity) Label() string {
	user := id.User()
	if user == "" {
		user = id.Command()
	}
	if id.Server == "" {
		return user
	}
	return user + " @ " + id.Server
}

// NewIdentity builds the identity of one call from its argv, the process
// environment lookup, the names of the cache-key variables (UserEnv is
// always added) and the parsed KUBERNETES_EXEC_INFO.
func NewIdentity(argv []string, lookup func(string) (string, bool), keyEnv []string, info ExecInfo) Identity {
	// UserEnv is always part of the key, whatever the configured list says:
	// it is what keeps two kubeconfig users with the same plugin command
	// apart, and dropping it from a custom list must not merge them.
	names := append(append([]string(nil), keyEnv...), execcred.UserEnv)
	sort.Strings(names) // the list's order in the config must not change the key
	env := make([]EnvVar, 0, len(names))
	for i, n := range names {
		if n == "" || (i > 0 && names[i-1] == n) {
			continue
		}
		v, ok := lookup(n)
		env = append(env, EnvVar{Name: n, Value: v, Set: ok})
	}
	return Identity{Argv: argv, Env: env, APIVersion: info.APIVersion, Server: info.Server}
}
