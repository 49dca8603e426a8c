package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

const (
	mediaIndex    = "application/vnd.oci.image.index.v1+json"
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaConfig   = "application/vnd.oci.image.config.v1+json"
	mediaLayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

type platform struct {
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Platform    *platform         `json:"platform,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// layout writes content-addressed blobs under dir/blobs/sha256.
type layout struct{ dir string }

// file is one entry of a layer: a directory, a file with content, or a copy
// of src.
type file struct {
	name     string
	mode     int64
	uid      int
	dir      bool
	content  []byte
	src      string
	modified time.Time
}

// baseFiles are the image's file system besides the binaries: the user it
// runs as, its home, and /tmp.
func baseFiles(t time.Time) []file {
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\n%s:x:%d:%d:%s:/home/%s:/sbin/nologin\n", user, uid, uid, user, user)
	group := fmt.Sprintf("root:x:0:\n%s:x:%d:\n", user, uid)
	return []file{
		{name: "etc/", mode: 0o755, dir: true, modified: t},
		{name: "etc/passwd", mode: 0o644, content: []byte(passwd), modified: t},
		{name: "etc/group", mode: 0o644, content: []byte(group), modified: t},
		{name: "home/", mode: 0o755, dir: true, modified: t},
		{name: "home/" + user + "/", mode: 0o700, uid: uid, dir: true, modified: t},
		{name: "tmp/", mode: 0o1777, dir: true, modified: t},
	}
}

type layerInfo struct {
	desc   descriptor
	diffID string // digest of the uncompressed tar, for the config
}

// layer writes a gzipped tar of files as a blob.
func (l *layout) layer(files []file) (layerInfo, error) {
	tmp, err := os.CreateTemp(filepath.Join(l.dir, "blobs", "sha256"), ".layer-")
	if err != nil {
		return layerInfo{}, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	compressed, uncompressed := sha256.New(), sha256.New()
	cw := &countingWriter{w: io.MultiWriter(tmp, compressed)}
	zw, err := gzip.NewWriterLevel(cw, gzip.DefaultCompression)
	if err != nil {
		return layerInfo{}, err
	}
	tw := tar.NewWriter(io.MultiWriter(zw, uncompressed))
	for _, f := range files {
		if err := addFile(tw, f); err != nil {
			return layerInfo{}, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return layerInfo{}, err
	}
	if err := zw.Close(); err != nil {
		return layerInfo{}, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return layerInfo{}, err
	}
	if err := tmp.Close(); err != nil {
		return layerInfo{}, err
	}
	digest := hexDigest(compressed)
	if err := os.Rename(tmp.Name(), filepath.Join(l.dir, "blobs", "sha256", digest)); err != nil {
		return layerInfo{}, err
	}
	return layerInfo{
		desc:   descriptor{MediaType: mediaLayer, Digest: "sha256:" + digest, Size: cw.n},
		diffID: "sha256:" + hexDigest(uncompressed),
	}, nil
}

func addFile(tw *tar.Writer, f file) error {
	h := &tar.Header{
		Name: f.name, Mode: f.mode, Uid: f.uid, Gid: f.uid, ModTime: f.modified,
		Format: tar.FormatPAX, Typeflag: tar.TypeReg,
	}
	if f.dir {
		h.Typeflag = tar.TypeDir
		return tw.WriteHeader(h)
	}
	content := io.Reader(nil)
	if f.src != "" {
		src, err := os.Open(f.src)
		if err != nil {
			return err
		}
		defer src.Close()
		st, err := src.Stat()
		if err != nil {
			return err
		}
		h.Size, content = st.Size(), src
	} else {
		h.Size, content = int64(len(f.content)), bytes.NewReader(f.content)
	}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	_, err := io.Copy(tw, content)
	return err
}

// image writes one architecture's layers (the base, then one per binary,
// so that a release that changes one binary changes one layer), config and
// manifest, and returns the manifest's descriptor.
func (l *layout) image(arch string, bins map[string]string, base layerInfo, created time.Time, annotations map[string]string) (descriptor, error) {
	// Compressed in parallel: kcc-connect's layer alone takes most of the
	// time.
	layers := make([]layerInfo, 1+len(binaries))
	layers[0] = base
	errs := make([]error, len(binaries))
	var wg sync.WaitGroup
	for i, b := range binaries {
		wg.Go(func() {
			layers[1+i], errs[i] = l.layer([]file{{name: b, mode: 0o755, src: bins[b], modified: created}})
			if errs[i] != nil {
				errs[i] = fmt.Errorf("linux/%s %s layer: %w", arch, b, errs[i])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return descriptor{}, err
	}
	var diffIDs []string
	var layerDescs []descriptor
	for _, li := range layers {
		diffIDs = append(diffIDs, li.diffID)
		layerDescs = append(layerDescs, li.desc)
	}
	config, err := l.blobJSON(mediaConfig, map[string]any{
		"created":      created.Format(time.RFC3339),
		"architecture": arch,
		"os":           "linux",
		"config": map[string]any{
			"User":       fmt.Sprintf("%d:%d", uid, uid),
			"Env":        []string{"PATH=/", "HOME=/home/" + user},
			"WorkingDir": "/home/" + user,
			"Cmd":        []string{"/kcc-cache", "--help"},
			"Labels":     annotations,
		},
		"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs},
	})
	if err != nil {
		return descriptor{}, err
	}
	manifest, err := l.blobJSON(mediaManifest, map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaManifest,
		"config":        config,
		"layers":        layerDescs,
		"annotations":   annotations,
	})
	if err != nil {
		return descriptor{}, err
	}
	manifest.Platform = &platform{OS: "linux", Architecture: arch}
	return manifest, nil
}

// blobJSON writes v as a JSON blob of mediaType.
func (l *layout) blobJSON(mediaType string, v any) (descriptor, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return descriptor{}, err
	}
	sum := sha256.Sum256(b)
	digest := hex.EncodeToString(sum[:])
	if err := os.WriteFile(filepath.Join(l.dir, "blobs", "sha256", digest), b, 0o644); err != nil {
		return descriptor{}, err
	}
	return descriptor{MediaType: mediaType, Digest: "sha256:" + digest, Size: int64(len(b))}, nil
}

func hexDigest(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
