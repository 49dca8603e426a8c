package main

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestPackage compares the package for testdata/checksums.txt with the
// golden files, and reads the nuspec back as XML.
func TestPackage(t *testing.T) {
	out := t.TempDir()
	if err := run("1.2.3-snapshot.abc1234", "testdata/checksums.txt", "", out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"kube-credential-cache.nuspec", "tools/chocolateyInstall.ps1"} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", filepath.Base(f)+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", f, golden, got)
		}
	}

	var n nuspec
	b, _ := os.ReadFile(filepath.Join(out, "kube-credential-cache.nuspec"))
	if err := xml.Unmarshal(b, &n); err != nil {
		t.Fatalf("the nuspec is not XML: %v", err)
	}
	if n.Metadata.ID != "kube-credential-cache" || n.Metadata.Version != "1.2.3-snapshot-abc1234" {
		t.Errorf("nuspec id %q version %q", n.Metadata.ID, n.Metadata.Version)
	}
	script, _ := os.ReadFile(filepath.Join(out, "tools/chocolateyInstall.ps1"))
	for _, want := range []string{
		"url64bit       = 'https://github.com/IvMisticos/kube-credential-cache/releases/download/v1.2.3-snapshot.abc1234/kube-credential-cache_windows_amd64.zip'",
		"checksum64     = '" + strings.Repeat("b", 64) + "'",
		"checksumType64 = 'sha256'",
		"Install-ChocolateyZipPackage @packageArgs",
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("chocolateyInstall.ps1 lacks %s", want)
		}
	}
}

func TestRefuses(t *testing.T) {
	dir := t.TempDir()
	noZip := filepath.Join(dir, "no-zip.txt")
	badSum := filepath.Join(dir, "bad-sum.txt")
	if err := os.WriteFile(noZip, []byte(strings.Repeat("a", 64)+"  kube-credential-cache_linux_amd64.tar.gz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(badSum, []byte("xyz  kube-credential-cache_windows_amd64.zip\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, version, checksums, wantErr string }{
		{"no windows zip", "1.2.3", noZip, "lists no kube-credential-cache_windows_amd64.zip"},
		{"a checksum that is no SHA-256", "1.2.3", badSum, `has no SHA-256 but "xyz"`},
		{"a v in the version", "v1.2.3", "testdata/checksums.txt", `-version "v1.2.3"`},
		{"no version", "", "testdata/checksums.txt", `-version ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.version, tc.checksums, "", filepath.Join(t.TempDir(), "out"))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error with %s", err, tc.wantErr)
			}
		})
	}
}
