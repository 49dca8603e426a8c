package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// Three files in $KUBECONFIG: "one" is in a, and shadowed in b; "two" is
// in b; c has no exec user.
var multiFiles = map[string]string{
	"a": "apiVersion: v1\nkind: Config\nusers:\n- name: one\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: plugin-a\n",
	"b": "apiVersion: v1\nkind: Config\nusers:\n- name: two\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: plugin-b\n- name: one\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: shadowed\n",
	"c": "apiVersion: v1\nkind: Config\nusers:\n- name: static\n  user: {token: t}\n",
}

// multiDir writes multiFiles with an old mtime and returns the list of
// them for $KUBECONFIG.
func multiDir(t *testing.T) (dir, kubeconfig string, old time.Time) {
	t.Helper()
	dir = t.TempDir()
	old = time.Now().Add(-time.Hour).Truncate(time.Second)
	var list []string
	for _, n := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte(multiFiles[n]), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
		list = append(list, p)
	}
	return dir, strings.Join(list, string(os.PathListSeparator)), old
}

// changed lists the files of dir that differ from multiFiles; an
// unchanged file must also keep its mtime.
func changed(t *testing.T, dir string, old time.Time) []string {
	t.Helper()
	var out []string
	for _, n := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, n)
		got, _ := os.ReadFile(p)
		if string(got) != multiFiles[n] {
			out = append(out, n)
		} else if st, _ := os.Stat(p); !st.ModTime().Equal(old) {
			t.Errorf("%s was rewritten though unchanged", n)
		}
	}
	return out
}

// Without a file argument, each exec user is wrapped in the file kubectl
// would change it in (checked against kubectl config set-credentials), the
// shadowed one is left alone, and -r gives every file back byte for byte.
func TestRunSeveralKubeconfigFiles(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		users []string // the users kubectl is asked to change
	}{
		{"every user", []string{"-i"}, []string{"one", "two"}},
		{"--user two", []string{"-i", "--user", "two"}, []string{"two"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, kubeconfig, old := multiDir(t)
			t.Setenv("KUBECONFIG", kubeconfig)
			var out, errOut bytes.Buffer
			if code := run(t.Context(), tt.args, nil, &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			got := changed(t, dir, old)
			if b, _ := os.ReadFile(filepath.Join(dir, "b")); !strings.Contains(string(b), "command: shadowed\n") {
				t.Errorf("the user kubectl does not use was wrapped:\n%s", b)
			}
			if want := kubectlChanges(t, tt.users); !reflect.DeepEqual(got, want) {
				t.Errorf("changed files %v, kubectl changes %v", got, want)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*.lock")); len(left) > 0 {
				t.Errorf("locks left: %v", left)
			}
			if code := run(t.Context(), []string{"-r", "-i"}, nil, &out, &errOut); code != 0 {
				t.Fatalf("restore: exit %d: %s", code, errOut.String())
			}
			for _, n := range []string{"a", "b", "c"} {
				if b, _ := os.ReadFile(filepath.Join(dir, n)); string(b) != multiFiles[n] {
					t.Errorf("%s after restore:\n%s", n, b)
				}
			}
		})
	}
}

// kubectlChanges runs kubectl config set-credentials for users on a copy of
// multiFiles and lists the files it changed.
func kubectlChanges(t *testing.T, users []string) []string {
	t.Helper()
	kubectl := testbin.Require(t, "kubectl")
	dir, kubeconfig, old := multiDir(t)
	for _, u := range users {
		cmd := exec.Command(kubectl, "config", "set-credentials", u, "--exec-command=kcc-cache")
		cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kubectl: %v: %s", err, out)
		}
	}
	return changed(t, dir, old)
}

func TestRunSeveralKubeconfigFilesErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no -i", nil, 2, "$KUBECONFIG names 3 files; name the one to print, or give -i"},
		{"unknown user", []string{"-i", "--user", "nobody"}, 1, `no user named "nobody" in 3 kubeconfig files`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, kubeconfig, old := multiDir(t)
			t.Setenv("KUBECONFIG", kubeconfig)
			var out, errOut bytes.Buffer
			code := run(t.Context(), tt.args, nil, &out, &errOut)
			if code != tt.code || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", code, out.String(), errOut.String(), tt.code, tt.stderr)
			}
			if got := changed(t, dir, old); len(got) != 0 {
				t.Errorf("changed %v", got)
			}
		})
	}
}
