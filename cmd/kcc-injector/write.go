package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// lockKubeconfig takes kubectl's <file>.lock for the path as given and for
// the symlink target, since kubectl locks whichever name it was given.
func lockKubeconfig(path, target string) (unlock func(), err error) {
	names := []string{path + ".lock"}
	if target != path {
		names = append(names, target+".lock")
	}
	var unlocks []func()
	unlock = func() {
		for _, u := range unlocks {
			u()
		}
	}
	for _, n := range names {
		u, err := lock(n)
		if err != nil {
			unlock()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return unlock, nil
}

// lock creates the lock file the way kubectl does (O_CREATE|O_EXCL), so
// neither tool writes while the other does.
func lock(name string) (func(), error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: kubectl (or another kcc-injector) is editing the kubeconfig; retry, or remove the lock file if no one is", name)
	}
	if err != nil {
		return nil, fmt.Errorf("could not lock the kubeconfig: %w", err)
	}
	f.Close()
	return func() { os.Remove(name) }, nil
}

// writeAtomic writes a temporary file next to target, syncs it, gives it the
// target's mode (and owner, when root) and renames it over the target, so a
// reader sees the old file or the new one, never a part.
func writeAtomic(target string, data []byte) error {
	info, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("could not stat kubeconfig: %w", err)
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".kcc-*")
	if err != nil {
		return fmt.Errorf("could not create a temporary file next to %s: %w", target, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("could not write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("could not set the mode of %s: %w", tmp.Name(), err)
	}
	if err := keepOwner(tmp, info); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("could not sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("could not close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("could not replace %s: %w", target, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable where the OS allows it; failure only
// weakens durability, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
