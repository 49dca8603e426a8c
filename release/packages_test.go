package release

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gofrs/flock"
)

// linuxPackages returns the snapshot's deb and rpm packages, failing when a
// linux architecture it built lacks one of them.
func linuxPackages(t *testing.T, s snapshot) map[string]artifact {
	t.Helper()
	pkgs := map[string]artifact{} // "deb/amd64" -> package
	for _, a := range s.ofType("Linux Package") {
		pkgs[strings.TrimPrefix(filepath.Ext(a.Name), ".")+"/"+a.Goarch] = a
	}
	for _, b := range s.ofType("Binary") {
		if b.Goos != "linux" {
			continue
		}
		for _, format := range []string{"deb", "rpm"} {
			if _, ok := pkgs[format+"/"+b.Goarch]; !ok {
				t.Fatalf("no .%s package for linux/%s in %s/artifacts.json", format, b.Goarch, s.dist)
			}
		}
	}
	if len(pkgs) == 0 {
		t.Fatalf("no deb or rpm packages in %s/artifacts.json", s.dist)
	}
	return pkgs
}

// TestLinuxPackagesHoldEveryBinary lists each package's files with the
// package tools themselves: every binary in /usr/bin, its completions and
// man page where bash-completion, zsh, fish and man look, the licence and
// the README under /usr/share/doc.
func TestLinuxPackagesHoldEveryBinary(t *testing.T) {
	s := loadSnapshot(t)
	sums := checksums(t, filepath.Join(s.dist, "checksums.txt"))
	for name, a := range linuxPackages(t, s) {
		t.Run(name, func(t *testing.T) {
			if !sums[a.Name] {
				t.Errorf("checksums.txt does not list %s", a.Name)
			}
			var list []string
			switch filepath.Ext(a.Name) {
			case ".deb":
				out := run(t, tool(t, "dpkg-deb"), "--contents", s.path(a))
				for line := range strings.Lines(out) {
					// "-rwxr-xr-x root/root 123 2026-01-01 00:00 ./usr/bin/kcc-cache"
					if f := strings.Fields(line); len(f) > 0 {
						list = append(list, strings.TrimPrefix(f[len(f)-1], "."))
					}
				}
			case ".rpm":
				list = strings.Fields(run(t, tool(t, "rpm"), "--query", "--list", "--package", s.path(a)))
			}
			want := []string{"/usr/share/doc/" + project + "/copyright", "/usr/share/doc/" + project + "/README.md"}
			for _, b := range binaries {
				want = append(want, "/usr/bin/"+b)
				for _, f := range docFiles(b) {
					want = append(want, packagedDocs[f.kind]+f.name)
				}
			}
			for _, w := range want {
				if !slices.Contains(list, w) {
					t.Errorf("%s lacks %s; it holds %q", a.Name, w, list)
				}
			}
		})
	}
}

// packagedDocs is where the packages put each kind of docFile.
var packagedDocs = map[string]string{
	"bash": "/usr/share/bash-completion/completions/",
	"zsh":  "/usr/share/zsh/vendor-completions/",
	"fish": "/usr/share/fish/vendor_completions.d/",
	"man":  "/usr/share/man/man1/",
}

// TestDebCompletionsAndManPagesWork unpacks this machine's .deb and has bash
// source each binary's completion (it must register one for the binary) and
// groff render each man page without a warning.
func TestDebCompletionsAndManPagesWork(t *testing.T) {
	s := loadSnapshot(t)
	if runtime.GOOS != "linux" {
		t.Skipf("dpkg-deb unpacks Linux packages; this is %s", runtime.GOOS)
	}
	deb, ok := linuxPackages(t, s)["deb/"+runtime.GOARCH]
	if !ok {
		t.Fatalf("no .deb for linux/%s in the snapshot", runtime.GOARCH)
	}
	root := t.TempDir()
	run(t, tool(t, "dpkg-deb"), "--extract", s.path(deb), root)
	bash, groff := tool(t, "bash"), tool(t, "groff")
	for _, b := range binaries {
		t.Run(b, func(t *testing.T) {
			completion := filepath.Join(root, packagedDocs["bash"], b)
			out := run(t, bash, "-c", `source "$1" && complete -p "$2"`, "bash", completion, b)
			if !strings.HasSuffix(strings.TrimSpace(out), " "+b) {
				t.Errorf("sourcing %s registered %q, want a completion for %s", completion, out, b)
			}
			page, err := os.ReadFile(filepath.Join(root, packagedDocs["man"], b+".1.gz"))
			if err != nil {
				t.Fatal(err)
			}
			roff := gunzip(t, page)
			cmd := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
			cmd.Stdin = strings.NewReader(roff)
			if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
				t.Errorf("groff -man %s.1: %v\n%s", b, err, msg)
			}
			if !strings.Contains(roff, ".TH "+strings.ToUpper(b)+" 1") || !strings.Contains(roff, "--help") {
				t.Errorf("%s.1 has no .TH line or no --help text:\n%s", b, roff)
			}
		})
	}
}

// TestDebInstalls installs this machine's .deb with dpkg -i, runs every
// binary's --version from /usr/bin, and removes the package again. Runs of
// this test on one machine take turns (a lock in the temp directory); an
// installation that is not a snapshot of ours is never touched.
func TestDebInstalls(t *testing.T) {
	s := loadSnapshot(t)
	if runtime.GOOS != "linux" {
		t.Skipf("dpkg installs Linux packages; this is %s", runtime.GOOS)
	}
	deb, ok := linuxPackages(t, s)["deb/"+runtime.GOARCH]
	if !ok {
		t.Fatalf("no .deb for linux/%s in the snapshot", runtime.GOARCH)
	}
	dpkg := tool(t, "dpkg")
	asRoot := func(args ...string) []string { return args }
	if os.Geteuid() != 0 {
		sudo := tool(t, "sudo")
		asRoot = func(args ...string) []string { return append([]string{sudo, "-n"}, args...) }
	}

	lock := flock.New(filepath.Join(os.TempDir(), "kube-credential-cache-release-dpkg.lock"))
	if err := lock.Lock(); err != nil {
		t.Fatalf("could not take the dpkg test lock: %v", err)
	}
	t.Cleanup(func() { _ = lock.Unlock() }) // last: after the removal below

	removeLeftover(t, dpkg, asRoot)
	for _, b := range binaries {
		if _, err := os.Lstat("/usr/bin/" + b); err == nil {
			t.Fatalf("/usr/bin/%s exists and belongs to no %s package: the test would replace it; remove it first", b, project)
		}
	}
	run(t, asRoot(dpkg, "--install", s.path(deb))...)
	t.Cleanup(func() {
		run(t, asRoot(dpkg, "--remove", project)...)
		for _, b := range binaries {
			if _, err := os.Lstat("/usr/bin/" + b); err == nil {
				t.Errorf("/usr/bin/%s is still there after dpkg --remove", b)
			}
		}
	})
	for _, b := range binaries {
		out := run(t, "/usr/bin/"+b, "--version")
		if !strings.HasPrefix(out, b+" "+s.version) {
			t.Errorf("/usr/bin/%s --version printed %q, want %s %s", b, strings.TrimSpace(out), b, s.version)
		}
	}
}

// removeLeftover removes a snapshot package of ours that an interrupted run
// left installed, and refuses to touch any other installation.
func removeLeftover(t *testing.T, dpkg string, asRoot func(...string) []string) {
	t.Helper()
	out, err := exec.Command("dpkg-query", "--show", "--showformat", "${db:Status-Status} ${Version}", project).Output()
	status, version, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if err != nil || status == "not-installed" || status == "config-files" {
		return // not installed
	}
	if !strings.Contains(version, "snapshot") {
		t.Fatalf("%s %s is installed on this machine (not a snapshot): the test would replace it; remove it first", project, version)
	}
	t.Logf("removing %s %s, left installed by an interrupted run", project, version)
	run(t, asRoot(dpkg, "--remove", project)...)
}

// tool returns the path of a program the test needs: a missing one fails.
// scripts/test.sh installs them (dpkg is Debian's own, rpm is apt's "rpm").
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed on PATH to check the packages: %v", name, err)
	}
	return p
}

// run runs a command and returns its stdout; a failure fails the test with
// its stderr.
func run(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
