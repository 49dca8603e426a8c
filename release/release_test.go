package release

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// distEnv names the GoReleaser output directory to check, relative to the
// module root (scripts/release-check.sh sets KCC_RELEASE_DIST=dist). When it
// is set, every missing file is a failure, never a skip.
const distEnv = "KCC_RELEASE_DIST"

const project = "kube-credential-cache"

var binaries = []string{"kcc-cache", "kcc-injector", "kcc-eks", "kcc-connect", "kcc-oidc", "kcc-aks"}

// targetsEnv is the snapshot's scope, as scripts/release-check.sh sets it:
// "all" (every platform) or "host" (this machine's only, no Scoop manifest).
const targetsEnv = "KCC_RELEASE_TARGETS"

func hostOnly() bool { return os.Getenv(targetsEnv) == "host" }

// artifact is the part of an entry of GoReleaser's dist/artifacts.json that
// the checks need.
type artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Goos   string `json:"goos"`
	Goarch string `json:"goarch"`
	Type   string `json:"type"`
}

type snapshot struct {
	root      string // module root; artifact paths are relative to it
	dist      string
	version   string
	artifacts []artifact
}

func loadSnapshot(t *testing.T) snapshot {
	t.Helper()
	dist := os.Getenv(distEnv)
	if dist == "" {
		t.Skipf("%s is not set; run scripts/release-check.sh", distEnv)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(dist) {
		dist = filepath.Join(root, dist)
	}
	s := snapshot{root: root, dist: dist}

	var meta struct {
		Version string `json:"version"`
	}
	readJSON(t, filepath.Join(dist, "metadata.json"), &meta)
	if meta.Version == "" {
		t.Fatalf("%s/metadata.json has no version", dist)
	}
	s.version = meta.Version
	readJSON(t, filepath.Join(dist, "artifacts.json"), &s.artifacts)
	return s
}

func (s snapshot) path(a artifact) string {
	if filepath.IsAbs(a.Path) {
		return a.Path
	}
	return filepath.Join(s.root, a.Path)
}

func (s snapshot) ofType(typ string) []artifact {
	var out []artifact
	for _, a := range s.artifacts {
		if a.Type == typ {
			out = append(out, a)
		}
	}
	return out
}

// one returns the single artifact of typ, failing the test otherwise.
func (s snapshot) one(t *testing.T, typ string) artifact {
	t.Helper()
	as := s.ofType(typ)
	if len(as) != 1 {
		t.Fatalf("want exactly one %q artifact in %s/artifacts.json, got %d", typ, s.dist, len(as))
	}
	if _, err := os.Stat(s.path(as[0])); err != nil {
		t.Fatalf("%s artifact: %v", typ, err)
	}
	return as[0]
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("GoReleaser output missing: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestHomebrewCask(t *testing.T) {
	s := loadSnapshot(t)
	a := s.one(t, "Homebrew Cask")
	if a.Name != project+".rb" {
		t.Errorf("cask is named %q, want %s.rb", a.Name, project)
	}
	b, err := os.ReadFile(s.path(a))
	if err != nil {
		t.Fatal(err)
	}
	cask := string(b)
	for _, want := range []string{
		`cask "` + project + `"`,
		`version "` + s.version + `"`,
		`binary "kcc-cache"`,
		`binary "kcc-injector"`,
		`binary "kcc-eks"`,
		`binary "kcc-connect"`,
		`binary "kcc-oidc"`,
		`binary "kcc-aks"`,
		"com.apple.quarantine", // the post-install hook for unsigned binaries
		"https://github.com/IvMisticos/" + project + "/releases/download/",
		`sha256 "`,
	} {
		if !strings.Contains(cask, want) {
			t.Errorf("%s does not contain %s", s.path(a), want)
		}
	}
	// Every binary's completions and man page, from the archive.
	stanzas := map[string]string{"bash": "bash_completion", "zsh": "zsh_completion", "fish": "fish_completion", "man": "manpage"}
	for _, b := range binaries {
		for _, f := range docFiles(b) {
			if want := stanzas[f.kind] + ` "` + archivedDocs[f.kind] + f.name + `"`; !strings.Contains(cask, want) {
				t.Errorf("%s does not contain %s", s.path(a), want)
			}
		}
	}
}

func TestScoopManifest(t *testing.T) {
	s := loadSnapshot(t)
	if hostOnly() {
		t.Skipf("%s=host: the snapshot has no windows zip, so no Scoop manifest; the full snapshot (release workflow) checks it", targetsEnv)
	}
	a := s.one(t, "Scoop Manifest")
	if a.Name != project+".json" {
		t.Errorf("scoop manifest is named %q, want %s.json", a.Name, project)
	}
	var m struct {
		Version      string `json:"version"`
		License      string `json:"license"`
		Architecture map[string]struct {
			URL  string   `json:"url"`
			Bin  []string `json:"bin"`
			Hash string   `json:"hash"`
		} `json:"architecture"`
	}
	readJSON(t, s.path(a), &m)
	if m.Version != s.version {
		t.Errorf("scoop version %q, want %q", m.Version, s.version)
	}
	if m.License != "MIT" {
		t.Errorf("scoop license %q, want MIT", m.License)
	}
	if len(m.Architecture) == 0 {
		t.Fatal("scoop manifest has no architecture")
	}
	for arch, r := range m.Architecture {
		for _, bin := range binaries {
			if !slices.Contains(r.Bin, bin+".exe") {
				t.Errorf("scoop %s: bin %v lacks %s.exe", arch, r.Bin, bin)
			}
		}
		if !strings.HasSuffix(r.URL, ".zip") || len(r.Hash) != 64 {
			t.Errorf("scoop %s: want a .zip url with a sha256, got %q %q", arch, r.URL, r.Hash)
		}
	}
}

// docFile is one of a binary's completions ("bash", "zsh", "fish") or its
// man page ("man"), by the name the shell or man looks for.
type docFile struct{ kind, name string }

func docFiles(bin string) []docFile {
	return []docFile{{"bash", bin}, {"zsh", "_" + bin}, {"fish", bin + ".fish"}, {"man", bin + ".1.gz"}}
}

// archivedDocs is where the archives hold each kind of docFile (the cask
// installs them from there).
var archivedDocs = map[string]string{
	"bash": "completions/bash/",
	"zsh":  "completions/zsh/",
	"fish": "completions/fish/",
	"man":  "man/",
}

// TestArchiveNamesHaveNoVersion: .../releases/latest/download/NAME must
// name the latest release's archive, which install.sh relies on.
func TestArchiveNamesHaveNoVersion(t *testing.T) {
	s := loadSnapshot(t)
	for _, a := range s.ofType("Archive") {
		ext := ".tar.gz"
		if a.Goos == "windows" {
			ext = ".zip"
		}
		if want := project + "_" + a.Goos + "_" + a.Goarch + ext; a.Name != want {
			t.Errorf("archive %q, want %q", a.Name, want)
		}
	}
}

func TestArchivesHoldEveryBinaryReadmeAndLicense(t *testing.T) {
	s := loadSnapshot(t)
	archives := s.ofType("Archive")
	if len(archives) == 0 {
		t.Fatal("no archives in artifacts.json")
	}
	var platforms []string
	for _, a := range archives {
		platforms = append(platforms, a.Goos+"/"+a.Goarch)
	}
	want := []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}
	if hostOnly() {
		want = []string{runtime.GOOS + "/" + runtime.GOARCH}
	}
	if slices.Sort(platforms); !slices.Equal(platforms, want) {
		t.Errorf("archives for %v, want one each for %v", platforms, want)
	}
	sums := checksums(t, filepath.Join(s.dist, "checksums.txt"))
	for _, a := range archives {
		t.Run(a.Name, func(t *testing.T) {
			ext := ""
			wantSuffix := ".tar.gz"
			if a.Goos == "windows" {
				ext, wantSuffix = ".exe", ".zip"
			}
			if !strings.HasSuffix(a.Name, wantSuffix) {
				t.Errorf("want a %s archive for %s", wantSuffix, a.Goos)
			}
			names := archiveNames(t, s.path(a))
			want := []string{"README.md", "LICENSE"}
			for _, b := range binaries {
				want = append(want, b+ext)
				for _, f := range docFiles(b) {
					want = append(want, archivedDocs[f.kind]+f.name)
				}
			}
			for _, w := range want {
				if !slices.Contains(names, w) {
					t.Errorf("archive lacks %s; it holds %v", w, names)
				}
			}
			if !sums[a.Name] {
				t.Errorf("checksums.txt does not list %s", a.Name)
			}
		})
	}
}

// TestVersionFromLdflags runs the binaries built for this machine and checks
// that --version prints the version GoReleaser injected.
func TestVersionFromLdflags(t *testing.T) {
	s := loadSnapshot(t)
	for _, name := range binaries {
		t.Run(name, func(t *testing.T) {
			var bin string
			for _, a := range s.ofType("Binary") {
				if a.Goos == runtime.GOOS && a.Goarch == runtime.GOARCH && strings.TrimSuffix(a.Name, ".exe") == name {
					bin = s.path(a)
				}
			}
			if bin == "" {
				t.Fatalf("no %s binary for %s/%s in the snapshot", name, runtime.GOOS, runtime.GOARCH)
			}
			out, err := exec.Command(bin, "--version").CombinedOutput()
			if err != nil {
				t.Fatalf("%s --version: %v\n%s", bin, err, out)
			}
			if !strings.Contains(string(out), s.version) {
				t.Errorf("%s --version printed %q, want it to contain %q", name, strings.TrimSpace(string(out)), s.version)
			}
		})
	}
}

func checksums(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("GoReleaser output missing: %v", err)
	}
	defer f.Close()
	names := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && len(fields[0]) == 64 {
			names[fields[1]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// archiveNames lists the paths of the regular files in a .zip or .tar.gz
// archive.
func archiveNames(t *testing.T, file string) []string {
	t.Helper()
	var names []string
	if strings.HasSuffix(file, ".zip") {
		zr, err := zip.OpenReader(file)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if !f.FileInfo().IsDir() {
				names = append(names, path.Clean(f.Name))
			}
		}
		return names
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if h.Typeflag == tar.TypeReg {
			names = append(names, path.Clean(h.Name))
		}
	}
}
