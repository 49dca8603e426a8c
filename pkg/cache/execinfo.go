package cache

import (
	"encoding/json"
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// ExecInfo is what kcc-cache needs from KUBERNETES_EXEC_INFO.
type ExecInfo struct {
	APIVersion  string
	Interactive bool
	Server      string // set only with provideClusterInfo: true
}

// ParseExecInfo reads KUBERNETES_EXEC_INFO. An empty value (kcc-cache run by
// hand or by a client that does not set it) means v1beta1, the version every
// client-go since 1.11 accepts. The value is never quoted in errors: with
// provideClusterInfo it carries the cluster's config.
func ParseExecInfo(raw string) (ExecInfo, error) {
	if raw == "" {
		return ExecInfo{APIVersion: execcred.APIVersionV1beta1}, nil
	}
	var doc struct {
		APIVersion string `json:"apiVersion"`
		Spec       struct {
			Interactive bool `json:"interactive"`
			Cluster     *struct {
				Server string `json:"server"`
			} `json:"cluster"`
		} `json:"spec"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return ExecInfo{}, fmt.Errorf("invalid %s: not JSON", execcred.ExecInfoEnv)
	}
	switch doc.APIVersion {
	case execcred.APIVersionV1, execcred.APIVersionV1beta1:
	case "":
		doc.APIVersion = execcred.APIVersionV1beta1
	default:
		return ExecInfo{}, fmt.Errorf("invalid %s: unsupported apiVersion %q (want %s or %s)", execcred.ExecInfoEnv, doc.APIVersion, execcred.APIVersionV1, execcred.APIVersionV1beta1)
	}
	info := ExecInfo{APIVersion: doc.APIVersion, Interactive: doc.Spec.Interactive}
	if doc.Spec.Cluster != nil {
		info.Server = doc.Spec.Cluster.Server
	}
	return info, nil
}
