package kubeconfig

import (
	"testing"

	"k8s.io/client-go/tools/clientcmd"
)

// TestExecInstallHintAndClusterInfo: installHint and provideClusterInfo (a
// gke-gcloud-auth-plugin entry) reach kubectl's reader, in a new file and
// merged into block and JSON files; provideClusterInfo as a boolean.
func TestExecInstallHintAndClusterInfo(t *testing.T) {
	ch := Changes{
		Clusters: []Cluster{{Name: "gke_p_l_n", Server: "https://10.0.0.1"}},
		Users: []User{{Name: "gke_p_l_n@", Exec: Exec{
			APIVersion:         "client.authentication.k8s.io/v1beta1",
			Command:            "gke-gcloud-auth-plugin",
			InstallHint:        "Install gke-gcloud-auth-plugin: see https://example.com/#install",
			ProvideClusterInfo: true,
		}}},
		Contexts: []Context{{Name: "gke_p_l_n", Cluster: "gke_p_l_n", User: "gke_p_l_n@"}},
	}
	for _, tc := range []struct{ name, input string }{
		{"new file", ""},
		{"block", "apiVersion: v1\nkind: Config\nusers:\n- name: other\n  user: {token: x}\n"},
		{"json", `{"apiVersion": "v1", "kind": "Config", "users": [], "clusters": [], "contexts": []}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out []byte
			if tc.input == "" {
				out = New(ch)
			} else {
				f, err := Parse([]byte(tc.input))
				if err != nil {
					t.Fatal(err)
				}
				if out, err = f.Merge(ch); err != nil {
					t.Fatal(err)
				}
			}
			cfg, err := clientcmd.Load(out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			e := cfg.AuthInfos["gke_p_l_n@"].Exec
			if e == nil || !e.ProvideClusterInfo || e.InstallHint != ch.Users[0].Exec.InstallHint {
				t.Errorf("exec read back as %+v\n%s", e, out)
			}
		})
	}
}
