package contract

// GKECommand is Google's exec plugin for GKE clusters, which kcc-cache
// runs as gcloud's own kubeconfig entry does.
const GKECommand = "gke-gcloud-auth-plugin"

// GKEInstallHint is the installHint `gcloud container clusters
// get-credentials` writes, word for word.
const GKEInstallHint = "Install gke-gcloud-auth-plugin for use with kubectl by following " +
	"https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin"

// GKE is gke-gcloud-auth-plugin's command line as gcloud writes it: no
// arguments (the plugin reads the cluster from KUBERNETES_EXEC_INFO and
// its credentials from gcloud).
type GKE struct{}

// Command is gke-gcloud-auth-plugin.
func (GKE) Command() string { return GKECommand }

// Args is none.
func (GKE) Args() []string { return nil }
