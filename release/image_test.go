package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type ociDescriptor struct {
	MediaType   string `json:"mediaType"`
	Digest      string `json:"digest"`
	Size        int64  `json:"size"`
	Platform    *struct{ OS, Architecture string }
	Annotations map[string]string `json:"annotations"`
}

type ociIndex struct {
	Manifests   []ociDescriptor   `json:"manifests"`
	Annotations map[string]string `json:"annotations"`
}

// ociBlob reads a blob of the layout, checking its size and digest.
func ociBlob(t *testing.T, dir string, d ociDescriptor) []byte {
	t.Helper()
	hexDigest, ok := strings.CutPrefix(d.Digest, "sha256:")
	if !ok {
		t.Fatalf("digest %q is not sha256", d.Digest)
	}
	b, err := os.ReadFile(filepath.Join(dir, "blobs", "sha256", hexDigest))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != hexDigest || int64(len(b)) != d.Size {
		t.Fatalf("blob %s: sha256 %s, size %d; the descriptor says size %d", d.Digest, got, len(b), d.Size)
	}
	return b
}

func ociJSON(t *testing.T, dir string, d ociDescriptor, v any) {
	t.Helper()
	if err := json.Unmarshal(ociBlob(t, dir, d), v); err != nil {
		t.Fatalf("blob %s: %v", d.Digest, err)
	}
}

// TestContainerImage reads the OCI layout internal/ocilayout wrote: one
// tagged multi-arch index with the OCI annotations, an image per linux
// architecture built, each running as a non-root user, holding every binary
// at / as a static ELF of its architecture, root-owned and not writable by
// that user. This machine's binaries, taken out of the layers, run.
func TestContainerImage(t *testing.T) {
	s := loadSnapshot(t)
	if !slices.ContainsFunc(s.ofType("Binary"), func(a artifact) bool { return a.Goos == "linux" }) {
		t.Skip("the snapshot has no linux binaries, so no image (scripts/release-check.sh builds it with them)")
	}
	dir := filepath.Join(s.dist, "oci")
	var layoutFile struct{ ImageLayoutVersion string }
	readJSON(t, filepath.Join(dir, "oci-layout"), &layoutFile)
	if layoutFile.ImageLayoutVersion != "1.0.0" {
		t.Errorf("oci-layout: imageLayoutVersion %q", layoutFile.ImageLayoutVersion)
	}
	var top ociIndex
	readJSON(t, filepath.Join(dir, "index.json"), &top)
	if len(top.Manifests) != 1 || top.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != s.version {
		t.Fatalf("index.json: want one image index tagged %s, got %+v", s.version, top.Manifests)
	}
	var index ociIndex
	ociJSON(t, dir, top.Manifests[0], &index)
	for key, want := range map[string]string{
		"org.opencontainers.image.source":   "https://github.com/IvMisticos/" + project,
		"org.opencontainers.image.version":  s.version,
		"org.opencontainers.image.licenses": "MIT",
	} {
		if got := index.Annotations[key]; got != want {
			t.Errorf("annotation %s = %q, want %q", key, got, want)
		}
	}
	if index.Annotations["org.opencontainers.image.revision"] == "" {
		t.Error("no org.opencontainers.image.revision annotation")
	}

	var arches, want []string
	for _, b := range s.ofType("Binary") {
		if b.Goos == "linux" && !slices.Contains(want, b.Goarch) {
			want = append(want, b.Goarch)
		}
	}
	for _, m := range index.Manifests {
		if m.Platform == nil || m.Platform.OS != "linux" {
			t.Fatalf("manifest %s: platform %+v, want linux", m.Digest, m.Platform)
		}
		arches = append(arches, m.Platform.Architecture)
		t.Run(m.Platform.Architecture, func(t *testing.T) { checkImage(t, s, dir, m) })
	}
	slices.Sort(arches)
	slices.Sort(want)
	if !slices.Equal(arches, want) {
		t.Errorf("images for %v, want one per linux architecture built: %v", arches, want)
	}

	// skopeo, which the release workflow pushes the layout with, reads it
	// and copies every image of the index as it is (its digests kept).
	t.Run("skopeo copy", func(t *testing.T) {
		skopeo := tool(t, "skopeo")
		dst := filepath.Join(t.TempDir(), "copy")
		run(t, skopeo, "copy", "--quiet", "--all", "--preserve-digests", "oci:"+dir+":"+s.version, "oci:"+dst+":"+s.version)
		var copied ociIndex
		readJSON(t, filepath.Join(dst, "index.json"), &copied)
		if len(copied.Manifests) != 1 || copied.Manifests[0].Digest != top.Manifests[0].Digest {
			t.Errorf("skopeo's copy is %+v, want the index %s", copied.Manifests, top.Manifests[0].Digest)
		}
	})
}

func checkImage(t *testing.T, s snapshot, dir string, m ociDescriptor) {
	arch := m.Platform.Architecture
	var manifest struct {
		Config ociDescriptor   `json:"config"`
		Layers []ociDescriptor `json:"layers"`
	}
	ociJSON(t, dir, m, &manifest)
	var config struct {
		Architecture, OS string
		Config           struct{ User string }
		Rootfs           struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
	ociJSON(t, dir, manifest.Config, &config)
	if config.Architecture != arch || config.OS != "linux" {
		t.Errorf("config for %s/%s, want linux/%s", config.OS, config.Architecture, arch)
	}
	uidText, _, _ := strings.Cut(config.Config.User, ":")
	uid, err := strconv.Atoi(uidText)
	if err != nil || uid == 0 {
		t.Errorf("config User %q, want a numeric non-root user", config.Config.User)
	}
	if len(config.Rootfs.DiffIDs) != len(manifest.Layers) {
		t.Fatalf("%d diff_ids for %d layers", len(config.Rootfs.DiffIDs), len(manifest.Layers))
	}

	files := map[string][]byte{}
	headers := map[string]*tar.Header{}
	for i, l := range manifest.Layers {
		zr, err := gzip.NewReader(bytes.NewReader(ociBlob(t, dir, l)))
		if err != nil {
			t.Fatalf("layer %s: %v", l.Digest, err)
		}
		h := sha256.New()
		tr := tar.NewReader(io.TeeReader(zr, h))
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("layer %s: %v", l.Digest, err)
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(hdr.Name, "/")
			headers[name], files[name] = hdr, b
		}
		_, _ = io.Copy(h, zr) // the tar's end blocks
		if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); got != config.Rootfs.DiffIDs[i] {
			t.Errorf("layer %d: uncompressed %s, config's diff_id %s", i, got, config.Rootfs.DiffIDs[i])
		}
	}
	if !strings.Contains(string(files["etc/passwd"]), ":"+uidText+":") {
		t.Errorf("/etc/passwd names no user %s:\n%s", uidText, files["etc/passwd"])
	}
	if h := headers["home/nonroot"]; h == nil || strconv.Itoa(h.Uid) != uidText {
		t.Errorf("the user's home /home/nonroot is missing or not its own: %+v", h)
	}

	machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	bin := t.TempDir()
	for _, b := range binaries {
		h := headers[b]
		if h == nil {
			t.Errorf("no /%s in the image", b)
			continue
		}
		if h.Uid != 0 || h.Mode&0o022 != 0 || h.Mode&0o111 == 0 {
			t.Errorf("/%s: uid %d mode %o, want root's, executable, writable by no one else", b, h.Uid, h.Mode)
		}
		f, err := elf.NewFile(bytes.NewReader(files[b]))
		if err != nil {
			t.Errorf("/%s: not an ELF: %v", b, err)
			continue
		}
		if f.Machine != machine {
			t.Errorf("/%s: ELF for %v, want %v", b, f.Machine, machine)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("/%s has an interpreter (PT_INTERP): not static", b)
			}
		}
		if arch == runtime.GOARCH && runtime.GOOS == "linux" {
			p := filepath.Join(bin, b)
			if err := os.WriteFile(p, files[b], 0o755); err != nil {
				t.Fatal(err)
			}
			if out := run(t, p, "--version"); !strings.HasPrefix(out, b+" "+s.version) {
				t.Errorf("/%s --version printed %q", b, out)
			}
		}
	}
}
