//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// execUser is how a test wants its kubeconfig's exec user.
type execUser struct {
	apiVersion         string            // "v1" or "v1beta1" (default)
	command            string            // default kcc-cache
	args               []string          // the command's args; default h.pluginArgs()
	env                map[string]string // exec.env entries
	interactiveMode    string            // default "Never"
	provideClusterInfo bool
}

// kubeconfig writes a kubeconfig (JSON, which kubectl reads like YAML) for the
// harness's API server whose one user runs kcc-cache, and returns its path.
func (h *harness) kubeconfig(u execUser) string {
	h.t.Helper()
	if u.apiVersion == "" {
		u.apiVersion = "v1beta1"
	}
	if u.args == nil {
		u.args = h.pluginArgs()
	}
	if u.command == "" {
		u.command = kccBin
	}
	if u.interactiveMode == "" {
		u.interactiveMode = "Never"
	}
	type nameValue struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	env := []nameValue{}
	for k, v := range u.env {
		env = append(env, nameValue{k, v})
	}
	cfg := map[string]any{
		"apiVersion": "v1",
		"kind":       "Config",
		"clusters": []any{map[string]any{
			"name": "e2e",
			"cluster": map[string]any{
				"server":                     h.srv.URL,
				"certificate-authority-data": b64(h.srv.caData()),
			},
		}},
		"users": []any{map[string]any{
			"name": "e2e",
			"user": map[string]any{"exec": map[string]any{
				"apiVersion":         groupVersion(u.apiVersion),
				"command":            u.command,
				"args":               u.args,
				"env":                env,
				"interactiveMode":    u.interactiveMode,
				"provideClusterInfo": u.provideClusterInfo,
			}},
		}},
		"contexts": []any{map[string]any{
			"name":    "e2e",
			"context": map[string]any{"cluster": "e2e", "user": "e2e", "namespace": "default"},
		}},
		"current-context": "e2e",
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		h.t.Fatal(err)
	}
	f, err := os.CreateTemp(h.dir, "kubeconfig-*.json")
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		h.t.Fatal(err)
	}
	return filepath.Clean(f.Name())
}
