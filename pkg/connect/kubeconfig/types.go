package kubeconfig

// Cluster is a clusters[] entry.
type Cluster struct {
	Name                     string
	Server                   string
	CertificateAuthorityData string
}

// User is a users[] entry that runs an exec credential plugin, or, when
// Token is set, one that carries a bearer token (what a tool that hands out
// a plaintext kubeconfig writes, Rancher's; kcc-connect --plaintext-token).
type User struct {
	Name                  string
	Exec                  Exec
	Token                 string
	ClientCertificateData string
	ClientKeyData         string
}

// Exec is users[].user.exec.
type Exec struct {
	APIVersion string
	Command    string
	Args       []string
	Env        []EnvVar
	// InstallHint is shown by kubectl when the command is missing.
	InstallHint string
	// ProvideClusterInfo passes the cluster's server and CA to the plugin
	// (KUBERNETES_EXEC_INFO); gke-gcloud-auth-plugin's entries set it.
	ProvideClusterInfo bool
}

// EnvVar is one exec.env entry.
type EnvVar struct {
	Name  string
	Value string
}

// Context is a contexts[] entry.
type Context struct {
	Name    string
	Cluster string
	User    string
}

// Changes are the entries to add to (or update in) a kubeconfig.
type Changes struct {
	Clusters []Cluster
	Users    []User
	Contexts []Context
	// CurrentContext, when set, becomes current-context.
	CurrentContext string
}
