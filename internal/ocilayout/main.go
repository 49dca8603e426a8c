// Command ocilayout writes the release's container image as an OCI image
// layout, without a container daemon or a base image from a registry:
//
//	go run ./internal/ocilayout -dist dist -out dist/oci
//
// It reads GoReleaser's dist/metadata.json and dist/artifacts.json and puts
// the static linux binaries of each architecture GoReleaser built at the
// root of an otherwise empty ("scratch") file system, with an /etc/passwd
// naming the non-root user the image runs as (65532, "nonroot"), its home
// and /tmp. OUT/index.json tags one multi-arch image index (by the version)
// whose manifests carry the OCI annotations (source, version, revision,
// licenses); docs/release.md says how the release workflow pushes it.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// binaries are the programs the image holds, at /NAME.
var binaries = []string{"kcc-cache", "kcc-injector", "kcc-eks", "kcc-connect", "kcc-oidc", "kcc-aks"}

// The user the image runs as, as distroless images name it.
const (
	uid  = 65532
	user = "nonroot"
)

func main() {
	dist := flag.String("dist", "dist", "GoReleaser's output directory")
	out := flag.String("out", "dist/oci", "OCI image layout to write (replaced)")
	source := flag.String("source", "https://github.com/IvMisticos/kube-credential-cache", "org.opencontainers.image.source")
	flag.Parse()
	if err := run(*dist, *out, *source); err != nil {
		fmt.Fprintln(os.Stderr, "ocilayout:", err)
		os.Exit(1)
	}
}

type metadata struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

type artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Goos   string `json:"goos"`
	Goarch string `json:"goarch"`
	Type   string `json:"type"`
}

func run(dist, out, source string) error {
	var meta metadata
	if err := readJSON(filepath.Join(dist, "metadata.json"), &meta); err != nil {
		return err
	}
	var artifacts []artifact
	if err := readJSON(filepath.Join(dist, "artifacts.json"), &artifacts); err != nil {
		return err
	}
	// Artifact paths are relative to the directory GoReleaser ran in.
	root := filepath.Dir(filepath.Clean(dist))
	byArch := map[string]map[string]string{} // goarch -> binary -> path
	for _, a := range artifacts {
		if a.Type != "Binary" || a.Goos != "linux" || !slices.Contains(binaries, a.Name) {
			continue
		}
		if byArch[a.Goarch] == nil {
			byArch[a.Goarch] = map[string]string{}
		}
		p := a.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		byArch[a.Goarch][a.Name] = p
	}
	if len(byArch) == 0 {
		return fmt.Errorf("%s/artifacts.json lists no linux binaries", dist)
	}
	var arches []string
	for arch, bins := range byArch {
		for _, b := range binaries {
			if bins[b] == "" {
				return fmt.Errorf("%s/artifacts.json has no linux/%s %s", dist, arch, b)
			}
		}
		arches = append(arches, arch)
	}
	slices.Sort(arches)

	// Every file's time: the binaries' (GoReleaser sets it to the commit's).
	st, err := os.Stat(byArch[arches[0]]["kcc-cache"])
	if err != nil {
		return err
	}
	created := st.ModTime().UTC().Truncate(time.Second)
	annotations := map[string]string{
		"org.opencontainers.image.source":      source,
		"org.opencontainers.image.version":     meta.Version,
		"org.opencontainers.image.revision":    meta.Commit,
		"org.opencontainers.image.licenses":    "MIT",
		"org.opencontainers.image.created":     created.Format(time.RFC3339),
		"org.opencontainers.image.title":       "kube-credential-cache",
		"org.opencontainers.image.description": "kcc-cache, kcc-injector, kcc-eks, kcc-connect, kcc-oidc and kcc-aks: static binaries at /",
	}

	if err := os.RemoveAll(out); err != nil {
		return err
	}
	l := &layout{dir: out}
	if err := os.MkdirAll(filepath.Join(out, "blobs", "sha256"), 0o755); err != nil {
		return err
	}
	base, err := l.layer(baseFiles(created))
	if err != nil {
		return fmt.Errorf("base layer: %w", err)
	}

	manifests := make([]descriptor, len(arches))
	errs := make([]error, len(arches))
	var wg sync.WaitGroup
	for i, arch := range arches {
		wg.Go(func() {
			manifests[i], errs[i] = l.image(arch, byArch[arch], base, created, annotations)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	imageIndex, err := l.blobJSON(mediaIndex, map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaIndex,
		"manifests":     manifests,
		"annotations":   annotations,
	})
	if err != nil {
		return err
	}
	imageIndex.Annotations = map[string]string{"org.opencontainers.image.ref.name": meta.Version}
	if err := writeJSON(filepath.Join(out, "index.json"), map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaIndex,
		"manifests":     []descriptor{imageIndex},
	}); err != nil {
		return err
	}
	return writeJSON(filepath.Join(out, "oci-layout"), map[string]string{"imageLayoutVersion": "1.0.0"})
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
