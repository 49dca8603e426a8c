// Package execcred holds the names of the client-go exec credential contract
// that several binaries share: the ExecCredential apiVersions and the
// environment variables kubectl and kcc-cache set. It imports only the
// names of internal/contract, so a binary that only needs these names links
// nothing else.
package execcred

import "github.com/IvMisticos/kube-credential-cache/internal/contract"

// The apiVersions of client.authentication.k8s.io that client-go still speaks.
// v1alpha1 was removed from client-go in 1.24.
const (
	APIVersionV1      = "client.authentication.k8s.io/v1"
	APIVersionV1beta1 = "client.authentication.k8s.io/v1beta1"
)

// Kind is the kind of every ExecCredential document.
const Kind = "ExecCredential"

// ExecInfoEnv is the variable through which kubectl tells a plugin which
// apiVersion it wants, whether it is interactive and, with
// provideClusterInfo, which cluster it talks to.
const ExecInfoEnv = "KUBERNETES_EXEC_INFO"

// UserEnv names the kubeconfig user in a kcc-cache exec entry, so that users
// with identical plugin commands never share a cache entry.
const UserEnv = contract.UserEnv
