package release

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestInstallScript runs install.sh (with sh, which is dash on Debian: the
// script must be POSIX) against this snapshot's archive and checksums.txt,
// served as GitHub serves a release's downloads, under KCC_INSTALL_BASE_URL.
func TestInstallScript(t *testing.T) {
	s := loadSnapshot(t)
	if runtime.GOOS == "windows" {
		t.Skip("install.sh is for Linux and macOS")
	}
	archive := project + "_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	sums := filepath.Join(s.dist, "checksums.txt")
	good := filepath.Join(s.dist, archive)
	tampered := filepath.Join(t.TempDir(), archive)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(tampered, b, 0o644); err != nil {
		t.Fatal(err)
	}
	tag := "v" + s.version
	latest := map[string]string{"/latest/download/checksums.txt": sums, "/latest/download/" + archive: good}

	// A PATH of the tools the script uses, each one removable.
	tools := []string{"uname", "mktemp", "tar", "gzip", "awk", "curl", "sha256sum", "rm", "mkdir", "cp", "chmod", "mv"}
	pathWithout := func(t *testing.T, missing ...string) string {
		dir := t.TempDir()
		for _, name := range tools {
			if strings.Contains(" "+strings.Join(missing, " ")+" ", " "+name+" ") {
				continue
			}
			if err := os.Symlink(tool(t, name), filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	// A uname that reports another platform.
	unameSays := func(t *testing.T, sys, machine string) string {
		dir := pathWithout(t, "uname")
		script := "#!/bin/sh\ncase $1 in -s) echo " + sys + " ;; -m) echo " + machine + " ;; esac\n"
		if err := os.WriteFile(filepath.Join(dir, "uname"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}

	for _, tc := range []struct {
		name    string
		files   map[string]string // URL path -> file served
		args    []string
		path    func(t *testing.T) string
		wantErr string // the one line on stderr; "" for success
	}{
		{name: "latest", files: latest},
		{
			name:  "--version",
			files: map[string]string{"/download/" + tag + "/checksums.txt": sums, "/download/" + tag + "/" + archive: good},
			args:  []string{"--version", tag},
		},
		{
			name:    "a version with no release",
			files:   latest,
			args:    []string{"--version", "v9.9.9"},
			wantErr: "install.sh: could not download ",
		},
		{
			name:    "tampered archive",
			files:   map[string]string{"/latest/download/checksums.txt": sums, "/latest/download/" + archive: tampered},
			wantErr: "install.sh: checksum mismatch for " + archive,
		},
		{
			name:    "unknown OS",
			files:   latest,
			path:    func(t *testing.T) string { return unameSays(t, "SunOS", "x86_64") },
			wantErr: "install.sh: unsupported OS SunOS",
		},
		{
			name:    "unknown architecture",
			files:   latest,
			path:    func(t *testing.T) string { return unameSays(t, "Linux", "riscv64") },
			wantErr: "install.sh: unsupported architecture riscv64",
		},
		{
			name:    "no tar",
			files:   latest,
			path:    func(t *testing.T) string { return pathWithout(t, "tar") },
			wantErr: "install.sh: tar is needed and not found on PATH",
		},
		{
			name:    "no SHA-256 tool",
			files:   latest,
			path:    func(t *testing.T) string { return pathWithout(t, "sha256sum") },
			wantErr: "install.sh: sha256sum, shasum or openssl is needed",
		},
		{
			name:    "a bad --version",
			files:   latest,
			args:    []string{"--version", "1.2"},
			wantErr: "install.sh: --version 1.2: want vX.Y.Z",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				f, ok := tc.files[r.URL.Path]
				if !ok {
					http.NotFound(w, r)
					return
				}
				http.ServeFile(w, r, f)
			}))
			defer srv.Close()

			home := t.TempDir()
			binDir := filepath.Join(home, "bin")
			path := os.Getenv("PATH")
			if tc.path != nil {
				path = tc.path(t)
			}
			cmd := exec.Command(tool(t, "sh"), append([]string{filepath.Join(s.root, "install.sh"), "--bin-dir", binDir}, tc.args...)...)
			cmd.Env = []string{"PATH=" + path, "HOME=" + home, "KCC_INSTALL_BASE_URL=" + srv.URL}
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()

			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("install.sh succeeded, want %q\n%s", tc.wantErr, stdout.String())
				}
				if msg := stderr.String(); !strings.HasPrefix(msg, tc.wantErr) || strings.Count(msg, "\n") != 1 {
					t.Errorf("stderr %q, want one line starting with %q", msg, tc.wantErr)
				}
				if entries, _ := os.ReadDir(binDir); len(entries) > 0 {
					t.Errorf("install.sh failed but left %d files in %s", len(entries), binDir)
				}
				return
			}
			if err != nil {
				t.Fatalf("install.sh: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), "installing into "+binDir) || !strings.Contains(stdout.String(), "kcc-cache "+s.version) {
				t.Errorf("stdout does not name %s and end with kcc-cache --version (%s):\n%s", binDir, s.version, stdout.String())
			}
			for _, b := range binaries {
				out := run(t, filepath.Join(binDir, b), "--version")
				if !strings.HasPrefix(out, b+" "+s.version) {
					t.Errorf("installed %s --version printed %q", b, out)
				}
			}
		})
	}
}

// TestInstallScriptIsShellcheckClean: install.sh is POSIX sh (shellcheck
// reads its #!/bin/sh) with no warning.
func TestInstallScriptIsShellcheckClean(t *testing.T) {
	loadSnapshot(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	run(t, tool(t, "shellcheck"), filepath.Join(root, "install.sh"))
}
