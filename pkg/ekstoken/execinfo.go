package ekstoken

import (
	"encoding/json"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

const apiVersionV1alpha1 = "client.authentication.k8s.io/v1alpha1"

// APIVersion is the ExecCredential apiVersion to print for the value of
// KUBERNETES_EXEC_INFO, decided as `aws eks get-token` decides it: none →
// v1beta1; v1 or v1beta1 → the same; v1alpha1 → the same with a deprecation
// warning; anything else or malformed → v1beta1 with a warning. warning is
// one line for stderr, or "".
func APIVersion(execInfo string) (apiVersion, warning string) {
	if execInfo == "" {
		// client-go before 1.20 did not always set it.
		return execcred.APIVersionV1beta1, ""
	}
	var info struct {
		APIVersion any `json:"apiVersion"`
	}
	if err := json.Unmarshal([]byte(execInfo), &info); err != nil {
		return execcred.APIVersionV1beta1, "could not parse " + execcred.ExecInfoEnv + ", defaulting to " + execcred.APIVersionV1beta1
	}
	switch v, _ := info.APIVersion.(string); v {
	case execcred.APIVersionV1, execcred.APIVersionV1beta1:
		return v, ""
	case apiVersionV1alpha1:
		return v, "the kubeconfig user asks for the deprecated " + v + "; use " + execcred.APIVersionV1beta1 + " or " + execcred.APIVersionV1
	}
	return execcred.APIVersionV1beta1, "unrecognized apiVersion in " + execcred.ExecInfoEnv + ", defaulting to " + execcred.APIVersionV1beta1
}
