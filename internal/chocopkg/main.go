// Command chocopkg writes the Chocolatey package definition of a release:
// a nuspec and tools/chocolateyInstall.ps1, which downloads the release's
// windows/amd64 zip and checks its SHA-256 (from checksums.txt) before
// unpacking it; Chocolatey puts a shim on PATH for each .exe in it.
//
//	go run ./internal/chocopkg -version 1.2.3 -checksums dist/checksums.txt -out dist/chocolatey
//	choco pack dist/chocolatey/kube-credential-cache.nuspec --out dist
//
// GoReleaser's own chocolateys: section runs `choco pack` where GoReleaser
// runs (macOS for the release, Linux for the checks), where choco is not;
// so the release's Windows jobs pack, install and push this directory
// (.github/workflows, docs/release.md).
package main

import (
	"bufio"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

const (
	project = "kube-credential-cache"
	repoURL = "https://github.com/IvMisticos/" + project
	zipName = project + "_windows_amd64.zip"
)

func main() {
	version := flag.String("version", "", "release version, without the v")
	checksums := flag.String("checksums", "dist/checksums.txt", "the release's checksums.txt")
	url := flag.String("url", "", "where the release's files are (default: the GitHub release of v<version>)")
	out := flag.String("out", "dist/chocolatey", "package directory to write")
	flag.Parse()
	if err := run(*version, *checksums, *url, *out); err != nil {
		fmt.Fprintln(os.Stderr, "chocopkg:", err)
		os.Exit(1)
	}
}

var semver = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)

func run(version, checksums, url, out string) error {
	if !semver.MatchString(version) {
		return fmt.Errorf("-version %q: want X.Y.Z or X.Y.Z-PRERELEASE", version)
	}
	if url == "" {
		url = repoURL + "/releases/download/v" + version
	}
	sum, err := checksumOf(checksums, zipName)
	if err != nil {
		return err
	}
	nuspec, err := nuspecFor(chocoVersion(version), version)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "tools"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, project+".nuspec"), nuspec, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "tools", "chocolateyInstall.ps1"), []byte(installScript(strings.TrimSuffix(url, "/")+"/"+zipName, sum)), 0o644)
}

// chocoVersion is version as Chocolatey takes it: its prerelease part may
// hold no dots (SemVer 1), so "1.2.3-snapshot.abc" becomes
// "1.2.3-snapshot-abc".
func chocoVersion(version string) string {
	core, pre, ok := strings.Cut(version, "-")
	if !ok {
		return version
	}
	return core + "-" + strings.ReplaceAll(pre, ".", "-")
}

// checksumOf returns the SHA-256 checksums.txt gives for name.
func checksumOf(checksums, name string) (string, error) {
	f, err := os.Open(checksums)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[1] == name {
			if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(fields[0]) {
				return "", fmt.Errorf("%s: %s has no SHA-256 but %q", checksums, name, fields[0])
			}
			return fields[0], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", checksums, err)
	}
	return "", fmt.Errorf("%s lists no %s", checksums, name)
}

type nuspec struct {
	XMLName  xml.Name `xml:"package"`
	XMLNS    string   `xml:"xmlns,attr"`
	Metadata struct {
		ID                       string `xml:"id"`
		Version                  string `xml:"version"`
		Title                    string `xml:"title"`
		Authors                  string `xml:"authors"`
		Owners                   string `xml:"owners"`
		ProjectURL               string `xml:"projectUrl"`
		LicenseURL               string `xml:"licenseUrl"`
		RequireLicenseAcceptance bool   `xml:"requireLicenseAcceptance"`
		ProjectSourceURL         string `xml:"projectSourceUrl"`
		DocsURL                  string `xml:"docsUrl"`
		BugTrackerURL            string `xml:"bugTrackerUrl"`
		Tags                     string `xml:"tags"`
		Summary                  string `xml:"summary"`
		Description              string `xml:"description"`
		ReleaseNotes             string `xml:"releaseNotes"`
	} `xml:"metadata"`
	Files struct {
		File []struct {
			Src    string `xml:"src,attr"`
			Target string `xml:"target,attr"`
		} `xml:"file"`
	} `xml:"files"`
}

func nuspecFor(chocoVersion, version string) ([]byte, error) {
	var n nuspec
	n.XMLNS = "http://schemas.microsoft.com/packaging/2015/06/nuspec.xsd"
	m := &n.Metadata
	m.ID, m.Version, m.Title = project, chocoVersion, project
	m.Authors, m.Owners = "IvMisticos", "IvMisticos"
	m.ProjectURL, m.ProjectSourceURL = repoURL, repoURL
	m.LicenseURL = repoURL + "/blob/main/LICENSE"
	m.DocsURL = repoURL + "#readme"
	m.BugTrackerURL = repoURL + "/issues"
	m.Tags = "kubernetes kubectl credentials cache eks oidc exec-plugin"
	m.Summary = "Caching proxy for Kubernetes exec credential plugins (kubectl + EKS, GKE, AKS)"
	m.Description = "kcc-cache caches the credential of any kubectl exec plugin, kcc-injector wraps a kubeconfig's plugins with it, " +
		"kcc-eks makes EKS tokens natively, kcc-connect writes kubeconfig entries for every EKS cluster your AWS profiles can see, " +
		"kcc-oidc is kubelogin's get-token with kcc's token storage, and kcc-aks makes Entra ID tokens for AKS natively."
	m.ReleaseNotes = repoURL + "/releases/tag/v" + version
	n.Files.File = append(n.Files.File, struct {
		Src    string `xml:"src,attr"`
		Target string `xml:"target,attr"`
	}{`tools\**`, "tools"})
	b, err := xml.MarshalIndent(n, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// installScript downloads the zip, has Chocolatey check its SHA-256, and
// unpacks it into the package's tools directory.
func installScript(url, sha256 string) string {
	return `$ErrorActionPreference = 'Stop'
$toolsDir = Split-Path -Parent $MyInvocation.MyCommand.Definition

# The release's windows/amd64 zip (kcc-cache.exe, kcc-injector.exe,
# kcc-eks.exe, kcc-connect.exe, kcc-oidc.exe, kcc-aks.exe): Chocolatey refuses it unless
# its SHA-256 is the one of the release's checksums.txt, and puts a shim on
# PATH for each .exe.
$packageArgs = @{
  packageName    = $env:ChocolateyPackageName
  unzipLocation  = $toolsDir
  url64bit       = '` + url + `'
  checksum64     = '` + sha256 + `'
  checksumType64 = 'sha256'
}
Install-ChocolateyZipPackage @packageArgs
`
}
