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

var eksConfig = readTestdata("eks-user.yaml")

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

var oidcConfig = readTestdata("oidc-user.yaml")

// TestRunNativeOIDC: --native-oidc -i switches the int128/kubelogin user,
// wraps Azure's kubelogin (with one warning line) and the EKS user,
// changes nothing the second time, and -r -i restores the exact bytes;
// --native switches both the kubelogin and the EKS user.
func TestRunNativeOIDC(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"kcc-cache", "kcc-eks", "kcc-oidc", "kcc-aks"} {
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	const warning = `kcc-injector: warning: user "aks", line 20: kubelogin get-token with --login is Azure's kubelogin, not int128/kubelogin; it keeps running kubelogin` + "\n"
	for _, tt := range []struct {
		flag    string
		warning string
		want    []string
	}{
		{"--native-oidc", warning, []string{
			"      args:\n      - kcc-oidc\n      - get-token\n      - \"--oidc-issuer-url=https://issuer.example.com\"\n      - --oidc-client-id=kubernetes\n      interactiveMode: Never\n",
			"value: \"env=absent,was=kubectl oidc-login get-token --oidc-issuer-url=https://issuer.example.com --oidc-client-id=kubernetes\"",
			"      args: [kubelogin, get-token, --login, azurecli, --server-id, 6dae42f8]\n",
			"      args: [aws, eks, get-token, --cluster-name, prod]\n",
		}},
		// --native switches Azure's kubelogin to kcc-aks (NativeAKS).
		{"--native", "", []string{
			"      - kcc-oidc\n      - get-token\n",
			"kcc-aks, get-token",
			"      args: [kcc-eks, --cluster-name, prod]\n",
		}},
	} {
		t.Run(tt.flag, func(t *testing.T) {
			file, code, stdout, stderr := runIn(t, oidcConfig, tt.flag, "-i", "FILE")
			if code != 0 || stdout != "" || stderr != tt.warning {
				t.Fatalf("exit %d, stdout %q, stderr %q; want the warning %q", code, stdout, stderr, tt.warning)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range tt.want {
				if !strings.Contains(string(got), line) {
					t.Errorf("result lacks %q:\n%s", line, got)
				}
			}
			// The same warning, at the user's line in the edited file.
			if _, code, _, stderr := runIn(t, "", tt.flag, "-i", file); code != 0 || tt.warning == "" && stderr != "" ||
				tt.warning != "" && (strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `user "aks", line 30: kubelogin get-token with --login`)) {
				t.Fatalf("second run: exit %d, stderr %q", code, stderr)
			}
			if again, _ := os.ReadFile(file); string(again) != string(got) {
				t.Errorf("a second %s changed the file:\n%s", tt.flag, again)
			}
			if _, code, _, stderr := runIn(t, "", "-r", "-i", file); code != 0 || stderr != "" {
				t.Fatalf("restore: exit %d, stderr %q", code, stderr)
			}
			if back, _ := os.ReadFile(file); string(back) != oidcConfig {
				t.Errorf("restored file differs from the original:\n%s", back)
			}
		})
	}
}

// TestRunNativeOIDCWarnsWhenNotOnPath: kubectl would fail to run kcc-oidc;
// kcc-eks, which no user runs, is not named.
func TestRunNativeOIDCWarnsWhenNotOnPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, code, _, stderr := runIn(t, oidcConfig, "--native", "--user", "oidc", "FILE")
	if code != 0 || !strings.Contains(stderr, "kcc-injector: warning: kcc-oidc is not on PATH") || strings.Contains(stderr, "kcc-eks") {
		t.Errorf("exit %d, stderr %q", code, stderr)
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

// TestKubectlReadsNativeGoldens has the real kubectl read every --native
// golden file: the switched users must run kcc-cache with kcc-eks or
// kcc-oidc and the args the file holds, with the marker and user entries
// in env.
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
				if e == nil || len(e.Args) == 0 || e.Args[0] != injector.EKSCommand && e.Args[0] != injector.OIDCCommand && e.Args[0] != injector.AKSCommand {
					continue
				}
				native++
				eks := len(e.Args) >= 3 && (e.Args[1] == "--cluster-name" || e.Args[1] == "--cluster-id")
				oidc := len(e.Args) >= 4 && e.Args[1] == "get-token"
				aks := len(e.Args) >= 4 && e.Args[1] == "get-token"
				if !injector.IsCacheCommand(e.Command) || e.Args[0] == injector.EKSCommand && !eks || e.Args[0] == injector.OIDCCommand && !oidc || e.Args[0] == injector.AKSCommand && !aks {
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
				t.Error("no user runs a native plugin")
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

// readTestdata is a file of testdata/, read when the tests start.
func readTestdata(name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return string(b)
}
