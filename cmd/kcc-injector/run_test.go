package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const execConfig = `apiVersion: v1
kind: Config
users:
- name: one
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws # the cli
      args:
      - eks
      - get-token
- name: two
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
`

// runIn runs the CLI with a kubeconfig named config in a fresh directory;
// "FILE" in args stands for its path.
func runIn(t *testing.T, content string, args ...string) (file string, code int, stdout, stderr string) {
	t.Helper()
	file = filepath.Join(t.TempDir(), "config")
	if content != "" {
		if err := os.WriteFile(file, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "FILE", file)
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, nil, &out, &errOut)
	return file, code, out.String(), errOut.String()
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name, content string
		args          []string
		code          int
		stderr        string // must appear on the one line printed
	}{
		{"missing file", "", []string{"FILE"}, 1, "config: no such file"},
		{"not yaml", "users: [\n", []string{"FILE"}, 1, "not YAML: yaml: line 1"},
		{"not a kubeconfig", "kind: Pod\n", []string{"FILE"}, 1, "line 1: not a kubeconfig: kind is \"Pod\""},
		{"exec without command", "kind: Config\nusers:\n- name: x\n  user:\n    exec:\n      args: [a]\n", []string{"FILE"}, 1, "line 6: user \"x\": exec has no command"},
		{"unknown user", execConfig, []string{"--user", "nobody", "FILE"}, 1, "no user named \"nobody\""},
		{"two files", execConfig, []string{"FILE", "FILE"}, 2, "one kubeconfig at a time"},
		{"bad flag", execConfig, []string{"--nope", "FILE"}, 2, "kcc-injector: unknown flag: --nope (see kcc-injector --help)"},
		{"bad short flag", execConfig, []string{"-x", "FILE"}, 2, "kcc-injector: unknown shorthand flag: 'x' in -x"},
		{"empty command", execConfig, []string{"FILE", "--command="}, 2, "kcc-injector: --command: want a command name or path, got \"\""},
		{"command looks like a flag", execConfig, []string{"FILE", "-c"}, 2, "kcc-injector: --command: want a command name or path, got \"-i\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, code, stdout, stderr := runIn(t, tt.content, append(tt.args, "-i")...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q does not say %q", stderr, tt.stderr)
			}
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("want one line on stderr, got %q", stderr)
			}
			if !strings.HasPrefix(stderr, "kcc-injector: ") {
				t.Errorf("stderr %q lacks the kcc-injector: prefix", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if tt.content != "" {
				if got, _ := os.ReadFile(file); string(got) != tt.content {
					t.Errorf("the file changed:\n%s", got)
				}
			}
		})
	}
}

func TestRunHelpAndVersion(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "-help"} {
		_, code, stdout, stderr := runIn(t, "", arg, "FILE")
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "Usage: kcc-injector [flags] [kubeconfig]") || !strings.Contains(stdout, "-c, --command command") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", arg, code, stdout, stderr)
		}
	}
	for _, arg := range []string{"--version", "-version"} {
		_, code, stdout, stderr := runIn(t, "", arg)
		if code != 0 || stderr != "" || stdout != "kcc-injector dev\n" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", arg, code, stdout, stderr)
		}
	}
}

// TestRunFlagForms: the long forms, the short ones, flags after the file,
// and the single-dash long forms of earlier releases all mean the same.
func TestRunFlagForms(t *testing.T) {
	want, code, _, stderr := runInCopy(t, "-i", "--user", "two", "-c", "/opt/kcc-cache", "FILE")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, args := range [][]string{
		{"--in-place", "--user=two", "--command=/opt/kcc-cache", "FILE"},
		{"FILE", "-i", "--user", "two", "--command", "/opt/kcc-cache"},
		{"-ic", "/opt/kcc-cache", "-user", "two", "FILE"},
		{"-i", "-user=two", "-c=/opt/kcc-cache", "--", "FILE"},
	} {
		got, code, _, stderr := runInCopy(t, args...)
		if code != 0 || got != want {
			t.Errorf("%q: exit %d, stderr %q, result differs:\n%s", args, code, stderr, got)
		}
	}
	file, code, _, stderr := runIn(t, execConfig, "--in-place", "FILE")
	if code != 0 {
		t.Fatalf("--in-place: exit %d: %s", code, stderr)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{file, "--restore", "--in-place"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("--restore --in-place: exit %d: %s", code, errOut.String())
	}
	if got, _ := os.ReadFile(file); string(got) != execConfig {
		t.Errorf("--restore --in-place did not give the original back:\n%s", got)
	}
}

// runInCopy runs the CLI on an injected-or-not copy of execConfig and
// returns the file's content afterwards.
func runInCopy(t *testing.T, args ...string) (content string, code int, stdout, stderr string) {
	t.Helper()
	file, code, stdout, stderr := runIn(t, execConfig, args...)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), code, stdout, stderr
}

// TestReadmeShowsHelp keeps README's kcc-injector block what the binary
// prints.
func TestReadmeShowsHelp(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, code, stdout, _ := runIn(t, "", "--help")
	if code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	block := "$ kcc-injector --help\n" + stdout + "```"
	if !strings.Contains(strings.ReplaceAll(string(readme), "\r\n", "\n"), block) {
		t.Errorf("README.md lacks the current help; replace its kcc-injector block with:\n%s", block)
	}
}

func TestRunStdoutLeavesFileAlone(t *testing.T) {
	file, code, stdout, stderr := runIn(t, execConfig, "FILE")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "command: kcc-cache # the cli\n") || !strings.Contains(stdout, "      args:\n      - aws\n      - eks\n") {
		t.Errorf("stdout is not the injected file:\n%s", stdout)
	}
	if got, _ := os.ReadFile(file); string(got) != execConfig {
		t.Errorf("the file changed without -i:\n%s", got)
	}
}

func TestRunInPlaceRoundTrip(t *testing.T) {
	file, code, stdout, stderr := runIn(t, execConfig, "-i", "FILE")
	if code != 0 || stdout != "" {
		t.Fatalf("inject: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	injected, _ := os.ReadFile(file)
	if !strings.Contains(string(injected), "command: kcc-cache") {
		t.Fatalf("not injected:\n%s", injected)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode().Perm())
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-r", "-i", file}, nil, &out, &errOut); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, errOut.String())
	}
	if got, _ := os.ReadFile(file); string(got) != execConfig {
		t.Errorf("restore did not give the original back:\n%s", got)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*")); len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestRunUserFilter(t *testing.T) {
	_, code, stdout, stderr := runIn(t, execConfig, "--user", "two", "FILE")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "command: aws # the cli") || !strings.Contains(stdout, "- gke-gcloud-auth-plugin") {
		t.Errorf("--user two should wrap only two:\n%s", stdout)
	}
}

func TestRunFollowsSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "real-config")
	if err := os.WriteFile(target, []byte(execConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-i", link}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a file")
	}
	if got, _ := os.ReadFile(target); !strings.Contains(string(got), "command: kcc-cache") {
		t.Errorf("the target was not edited:\n%s", got)
	}
}

func TestRunHonoursKubectlLock(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config")
	if err := os.WriteFile(file, []byte(execConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-i", file}, nil, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "config.lock exists") || strings.Count(errOut.String(), "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want one line about the lock", code, errOut.String())
	}
	if got, _ := os.ReadFile(file); string(got) != execConfig {
		t.Errorf("the file changed while locked:\n%s", got)
	}
	if _, err := os.Stat(file + ".lock"); err != nil {
		t.Errorf("kubectl's lock file was removed: %v", err)
	}
}

func TestRunLockRemovedAfterWrite(t *testing.T) {
	file, code, _, stderr := runIn(t, execConfig, "-i", "FILE")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(file + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock file left behind: %v", err)
	}
}

func TestRunDefaultPath(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first"), filepath.Join(dir, "second")
	for _, f := range []string{first, second} {
		if err := os.WriteFile(f, []byte(execConfig), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".kube"), 0o700); err != nil {
		t.Fatal(err)
	}
	homeConfig := filepath.Join(home, ".kube", "config")
	if err := os.WriteFile(homeConfig, []byte(execConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	tests := []struct {
		name, kubeconfig, edited string
	}{
		{"first of KUBECONFIG", first + string(os.PathListSeparator) + second, first},
		{"empty entries skipped", string(os.PathListSeparator) + second, second},
		{"home when unset", "", homeConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KUBECONFIG", tt.kubeconfig)
			var out, errOut bytes.Buffer
			if code := run(context.Background(), []string{"-i"}, nil, &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			for _, f := range []string{first, second, homeConfig} {
				got, _ := os.ReadFile(f)
				if injected := string(got) != execConfig; injected != (f == tt.edited) {
					t.Errorf("%s injected=%v, want %v", filepath.Base(f), injected, f == tt.edited)
				}
				if err := os.WriteFile(f, []byte(execConfig), 0o600); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestRunWarnsWhenCommandNotOnPath(t *testing.T) {
	tests := []struct {
		name string
		path string // PATH holds a kcc-cache when set
		warn bool
	}{
		{"missing", "", true},
		{"present", "kcc-cache", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin := t.TempDir()
			if tt.path != "" {
				name := tt.path
				if runtime.GOOS == "windows" {
					name += ".exe"
				}
				if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("PATH", bin)
			_, code, _, stderr := runIn(t, execConfig, "FILE")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			warned := strings.Contains(stderr, "kcc-injector: warning: kcc-cache is not on PATH")
			if warned != tt.warn || strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr %q, want warning=%v on one line", stderr, tt.warn)
			}
			// A restore removes the command: nothing to warn about.
			_, code, _, stderr = runIn(t, execConfig, "-r", "FILE")
			if code != 0 || stderr != "" {
				t.Errorf("restore: exit %d, stderr %q, want no warning", code, stderr)
			}
		})
	}
}
