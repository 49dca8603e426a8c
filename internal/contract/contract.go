// Package contract is what the binaries agree on: their command names, the
// environment variables one sets for another, and a builder for the command
// line of each token plugin kcc-cache runs. The injector and kcc-connect
// write these command lines and each plugin parses them, so both sides use
// the names from here and a test round-trips builder → parser. It imports
// nothing: kcc-cache links it.
package contract

// Command names: the programs as they appear in a kubeconfig and on PATH.
const (
	CacheCommand    = "kcc-cache"
	EKSCommand      = "kcc-eks"
	OIDCCommand     = "kcc-oidc"
	InjectorCommand = "kcc-injector"
	ConnectCommand  = "kcc-connect"
)

// EnvPrefix starts every setting of kcc-cache (KUBE_CREDENTIAL_CACHE_*).
const EnvPrefix = "KUBE_CREDENTIAL_CACHE"

// Environment variables one binary writes and another reads.
const (
	// UserEnv names the kubeconfig user in a kcc-cache exec entry, so that
	// users with identical plugin commands never share a cache entry.
	UserEnv = EnvPrefix + "_USER"
	// BackendEnv picks kcc-cache's store: auto, keyring or file.
	BackendEnv = EnvPrefix + "_BACKEND"
	// InjectedEnv is the env entry kcc-injector adds when a restore needs
	// more than the args to put the original back (args or env absent or
	// null before, or the plugin kcc-eks replaced).
	InjectedEnv = EnvPrefix + "_INJECTED"
)

// Plugin is one token plugin's command line, as kcc-cache runs it. Each
// plugin has a builder type here (EKS for kcc-eks, OIDC for kcc-oidc); a
// new plugin adds a file with its command name, its flag names and its
// builder.
type Plugin interface {
	// Command is the program's name (looked up on PATH).
	Command() string
	// Args is its arguments, without the command.
	Args() []string
}

// Argv is p's command followed by its arguments: the args of a kcc-cache
// exec entry.
func Argv(p Plugin) []string {
	return append([]string{p.Command()}, p.Args()...)
}

// appendFlag appends "--name value" when value is set.
func appendFlag(args []string, name, value string) []string {
	if value == "" {
		return args
	}
	if value[0] == '-' {
		// A plugin's parser would take "-x" after a space for a flag.
		return append(args, "--"+name+"="+value)
	}
	return append(args, "--"+name, value)
}
