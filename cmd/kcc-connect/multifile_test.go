package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// With several files in $KUBECONFIG, use writes each entry where kubectl
// config set-cluster/set-credentials/set-context/use-context would: checked
// against the real kubectl on copies of the same files.
func TestUseSeveralKubeconfigFilesLikeKubectl(t *testing.T) {
	kubectl := testbin.Require(t, "kubectl")
	cfg := motoEnv(t)
	motoserver.CreateCluster(t, cfg, "web")
	arn := "arn:aws:eks:eu-west-1:" + motoserver.DefaultAccount + ":cluster/web"
	user := arn + "@"
	files := map[string]string{
		// a: the first file that exists, so new entries and current-context go here.
		"a": "apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: 'https://other.example'}\n",
		// b holds the user (and a current-context, which a then overrides).
		"b": "apiVersion: v1\nkind: Config\ncurrent-context: x\nusers:\n- name: " + user + "\n  user: {token: old}\n",
		// c holds the context (which use replaces: same cluster and user, so
		// it keeps its name), and a user of the same name that b shadows.
		"c": "apiVersion: v1\nkind: Config\ncontexts:\n- name: web\n  context: {cluster: '" + arn + "', user: '" + user + "', namespace: dev}\nusers:\n- name: " + user + "\n  user: {token: shadowed}\n",
		// d holds nothing use writes: it must keep its bytes and mtime.
		"d": "apiVersion: v1\nkind: Config\nusers:\n- name: other\n  user: {token: t}\n",
	}
	tests := []struct {
		name    string
		missing string // a file of the list that does not exist
	}{
		{"all exist", ""},
		{"first missing", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ours, theirs := t.TempDir(), t.TempDir()
			old := time.Now().Add(-time.Hour).Truncate(time.Second)
			for _, dir := range []string{ours, theirs} {
				for name, content := range files {
					if name == tt.missing {
						continue
					}
					p := filepath.Join(dir, name)
					if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
						t.Fatal(err)
					}
					if err := os.Chtimes(p, old, old); err != nil {
						t.Fatal(err)
					}
				}
			}
			list := func(dir string) string {
				var l []string
				for _, n := range []string{"a", "b", "c", "d"} {
					l = append(l, filepath.Join(dir, n))
				}
				return strings.Join(l, string(os.PathListSeparator))
			}

			t.Setenv("KUBECONFIG", list(ours))
			execApp(t, nil, "use", "web").wantOK(t) // one cluster: made current

			for _, args := range [][]string{
				{"set-cluster", arn, "--server=https://web.example"},
				{"set-credentials", user, "--token=new"},
				{"set-context", "web", "--cluster=" + arn, "--user=" + user},
				{"use-context", "web"},
			} {
				cmd := exec.Command(kubectl, append([]string{"config"}, args...)...)
				cmd.Env = append(os.Environ(), "KUBECONFIG="+list(theirs))
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("kubectl config %v: %v: %s", args, err, out)
				}
			}
			if got, want := where(t, ours), where(t, theirs); !reflect.DeepEqual(got, want) {
				t.Errorf("entries by file:\n kcc-connect %v\n kubectl     %v", got, want)
			}
			d := filepath.Join(ours, "d")
			st, err := os.Stat(d)
			if got, _ := os.ReadFile(d); string(got) != files["d"] || err != nil || !st.ModTime().Equal(old) {
				t.Errorf("d was rewritten: %q", got)
			}
			if left, _ := filepath.Glob(filepath.Join(ours, "*.lock")); len(left) > 0 {
				t.Errorf("locks left: %v", left)
			}
			cmd := exec.Command(kubectl, "config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.namespace}/{.current-context}")
			cmd.Env = append(os.Environ(), "KUBECONFIG="+list(ours))
			if out, err := cmd.CombinedOutput(); err != nil || string(out) != "/web" {
				t.Errorf("kubectl reads namespace/current-context %q (%v), want /web", out, err)
			}
		})
	}
}

// where lists, per file of dir, the names of its clusters, users and
// contexts, and its current-context.
func where(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, n := range []string{"a", "b", "c", "d"} {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if os.IsNotExist(err) {
			continue
		}
		var f struct {
			Current  string `yaml:"current-context"`
			Clusters []struct{ Name string }
			Users    []struct{ Name string }
			Contexts []struct{ Name string }
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		var names []string
		for _, c := range f.Clusters {
			names = append(names, "cluster "+c.Name)
		}
		for _, u := range f.Users {
			names = append(names, "user "+u.Name)
		}
		for _, c := range f.Contexts {
			names = append(names, "context "+c.Name)
		}
		if f.Current != "" {
			names = append(names, "current "+f.Current)
		}
		sort.Strings(names) // kubectl writes each list sorted
		out[n] = names
	}
	return out
}
