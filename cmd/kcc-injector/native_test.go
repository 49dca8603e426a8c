package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

const eksConfig = `apiVersion: v1
kind: Config
users:
- name: prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - prod
      - --output
      - json
      env:
      - name: AWS_PROFILE
        value: prod
- name: proxied
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod, --endpoint-url, https://sts.example.com]
- name: gke
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
`

// TestRunNativeEKS: --native-eks -i switches the EKS user, wraps the
// others, warns once about the one it cannot switch (naming user and line),
// changes nothing the second time, and -r -i restores the exact bytes.
func TestRunNativeEKS(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"kcc-cache", "kcc-eks"} {
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	file, code, stdout, stderr := runIn(t, eksConfig, "--native-eks", "-i", "FILE")
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	want := `kcc-injector: warning: user "proxied", line 26: aws option --endpoint-url has no kcc-eks equivalent; it keeps running aws` + "\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"      command: kcc-cache\n      args:\n      - kcc-eks\n      - --cluster-name\n      - prod\n      - --region\n      - eu-west-1\n      env:\n",
		"        value: \"was=aws --region eu-west-1 eks get-token --cluster-name prod --output json\"\n      - name: AWS_PROFILE\n",
		"      args: [aws, eks, get-token",
		"      - gke-gcloud-auth-plugin\n",
	} {
		if !strings.Contains(string(got), line) {
			t.Errorf("result lacks %q:\n%s", line, got)
		}
	}

	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, code, _, stderr := runIn(t, "", "--native-eks", "-i", file); code != 0 || strings.Count(stderr, "warning") != 1 {
		t.Fatalf("second run: exit %d, stderr %q", code, stderr)
	}
	if again, _ := os.ReadFile(file); string(again) != string(got) {
		t.Errorf("a second --native-eks changed the file:\n%s", again)
	}
	if after, _ := os.Stat(file); !after.ModTime().Equal(info.ModTime()) {
		t.Error("a second --native-eks rewrote the file")
	}

	if _, code, _, stderr := runIn(t, "", "-r", "-i", file); code != 0 || stderr != "" {
		t.Fatalf("restore: exit %d, stderr %q", code, stderr)
	}
	if back, _ := os.ReadFile(file); string(back) != eksConfig {
		t.Errorf("restored file differs from the original:\n%s", back)
	}
}

// TestRunNativeEKSWarnsWhenNotOnPath: kubectl would fail to run kcc-eks.
func TestRunNativeEKSWarnsWhenNotOnPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, code, _, stderr := runIn(t, eksConfig, "--native-eks", "FILE")
	if code != 0 || !strings.Contains(stderr, "kcc-injector: warning: kcc-eks is not on PATH") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// Without an EKS user kcc-eks does not matter.
	_, _, _, stderr = runIn(t, execConfig, "--native-eks", "--user", "two", "FILE")
	if strings.Contains(stderr, "kcc-eks") {
		t.Errorf("stderr %q warns about kcc-eks for a file without EKS users", stderr)
	}
}

// TestKubectlReadsNativeGoldens has the real kubectl read every
// --native-eks golden file: the EKS users must run kcc-cache with kcc-eks
// and the args the file holds, with the marker and user entries in env.
func TestKubectlReadsNativeGoldens(t *testing.T) {
	kubectl := testbin.Require(t, "kubectl")
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "injector", "*.native.*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no native golden files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			native := 0
			for _, u := range kubectlUsers(t, kubectl, f) {
				e := u.User.Exec
				if e == nil || len(e.Args) == 0 || e.Args[0] != injector.EKSCommand {
					continue
				}
				native++
				if !injector.IsCacheCommand(e.Command) || len(e.Args) < 3 || e.Args[1] != "--cluster-name" && e.Args[1] != "--cluster-id" {
					t.Errorf("user %q: kubectl runs %q %q", u.Name, e.Command, e.Args)
				}
				if e.env(execcred.UserEnv) == "" || !strings.HasPrefix(e.env(injector.MarkerEnv), "was=") && !strings.Contains(e.env(injector.MarkerEnv), ",was=") {
					t.Errorf("user %q: env %v lacks the user or the marker entry", u.Name, e.Env)
				}
				// What kubectl reads is what the file says.
				if want := fileArgs(t, src, u.Name); strings.Join(e.Args, "\x00") != strings.Join(want, "\x00") {
					t.Errorf("user %q: kubectl reads args %q, the file says %q", u.Name, e.Args, want)
				}
			}
			if native == 0 {
				t.Error("no user runs kcc-eks")
			}
		})
	}
}

type execView struct {
	Command string
	Args    []string
	Env     []struct{ Name, Value string }
}

func (e *execView) env(name string) string {
	for _, v := range e.Env {
		if v.Name == name {
			return v.Value
		}
	}
	return ""
}

// fileArgs decodes the args of one user with yaml.v3, independently of
// kubectl's reader.
func fileArgs(t *testing.T, src []byte, user string) []string {
	t.Helper()
	var doc struct {
		Users []struct {
			Name string
			User struct {
				Exec struct{ Args []string }
			}
		}
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	for _, u := range doc.Users {
		if u.Name == user {
			return u.User.Exec.Args
		}
	}
	t.Fatalf("no user %q in the file", user)
	return nil
}
