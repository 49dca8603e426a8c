package contract

// kcc-connect's token subcommand: what a Rancher cluster's kubeconfig user
// runs (under kcc-cache) instead of carrying Rancher's token in the file.
const (
	ConnectToken            = "token"
	ConnectTokenAPIEndpoint = "api-endpoint"
	ConnectTokenCluster     = "cluster"
)

// Rancher is `kcc-connect token` for one Rancher cluster: it prints the
// cluster's kubeconfig token, kept in kcc's store by `kcc-connect use`, as
// an ExecCredential.
type Rancher struct {
	// APIEndpoint is Rancher's v3 API, https://HOST/v3.
	APIEndpoint string
	// ClusterID is Rancher's cluster id (c-xxxxx).
	ClusterID string
}

// Command is kcc-connect.
func (Rancher) Command() string { return ConnectCommand }

// Args is token --api-endpoint URL --cluster ID.
func (r Rancher) Args() []string {
	args := []string{ConnectToken}
	args = appendFlag(args, ConnectTokenAPIEndpoint, r.APIEndpoint)
	return appendFlag(args, ConnectTokenCluster, r.ClusterID)
}
