package release

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChocolateyPackage reads the package definition internal/chocopkg wrote
// for the snapshot's windows/amd64 zip: a nuspec that is XML with the
// version in Chocolatey's form, and an install script that downloads that
// zip from the release and checks the SHA-256 checksums.txt gives it. The
// workflow's Windows jobs pack and install it with choco.
func TestChocolateyPackage(t *testing.T) {
	s := loadSnapshot(t)
	if hostOnly() {
		t.Skipf("%s=host: the snapshot has no windows zip, so no Chocolatey package; internal/chocopkg's tests check its output, the full snapshot (release workflow) checks it here", targetsEnv)
	}
	dir := filepath.Join(s.dist, "chocolatey")
	b, err := os.ReadFile(filepath.Join(dir, project+".nuspec"))
	if err != nil {
		t.Fatal(err)
	}
	var nuspec struct {
		Metadata struct {
			ID      string `xml:"id"`
			Version string `xml:"version"`
		} `xml:"metadata"`
	}
	if err := xml.Unmarshal(b, &nuspec); err != nil {
		t.Fatalf("nuspec: %v", err)
	}
	core, pre, _ := strings.Cut(s.version, "-")
	wantVersion := core
	if pre != "" {
		wantVersion += "-" + strings.ReplaceAll(pre, ".", "-")
	}
	if nuspec.Metadata.ID != project || nuspec.Metadata.Version != wantVersion {
		t.Errorf("nuspec id %q version %q, want %s %s", nuspec.Metadata.ID, nuspec.Metadata.Version, project, wantVersion)
	}

	zip := project + "_windows_amd64.zip"
	var sum string
	for line := range strings.Lines(readFile(t, filepath.Join(s.dist, "checksums.txt"))) {
		if f := strings.Fields(line); len(f) == 2 && f[1] == zip {
			sum = f[0]
		}
	}
	if sum == "" {
		t.Fatalf("checksums.txt lists no %s", zip)
	}
	script := readFile(t, filepath.Join(dir, "tools", "chocolateyInstall.ps1"))
	for _, want := range []string{
		"url64bit       = 'https://github.com/IvMisticos/" + project + "/releases/download/v" + s.version + "/" + zip + "'",
		"checksum64     = '" + sum + "'",
		"checksumType64 = 'sha256'",
		"Install-ChocolateyZipPackage @packageArgs",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("chocolateyInstall.ps1 lacks %s:\n%s", want, script)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
