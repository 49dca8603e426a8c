package connect

import "context"

// Entry is one cluster's cluster, user and context in a kubeconfig: what
// Use writes and what a Recorder (the history) is told about.
type Entry struct {
	Cluster Cluster
	// ClusterName is the clusters[] name: the cluster's ID, stable and
	// unique.
	ClusterName string
	// UserName is the users[] name: the ID plus the profile and role, so
	// two identities for one cluster never share a user.
	UserName string
	// ContextName is the contexts[] name people type.
	ContextName string
	// Alias is the context name the user asked for, if any.
	Alias string
	// Plugin is the provider's plugin the user runs ("kcc-eks", "aws").
	Plugin string
	// NoCache is set when the user runs the plugin without kcc-cache.
	NoCache bool
	// Exec is the user's exec, as written.
	Exec Exec
	// Kubeconfig is the file written, "-" for stdout.
	Kubeconfig string
	// token is the user's bearer token instead of Exec (PlaintextTokens);
	// unexported, so no Recorder ever sees it.
	token string
	// Current is set on the entry whose context Use made current-context
	// in the file (the history tracks it for `kcc-connect to -`).
	Current bool
}

// Recorder is told about every entry Use writes; the history implements it.
// A nil Recorder records nothing.
type Recorder interface {
	Record(ctx context.Context, e Entry) error
}
