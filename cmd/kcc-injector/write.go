package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
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

// writeAtomic replaces target with data, keeping its mode (and owner, when
// root), so a reader sees the old file or the new one, never a part.
func writeAtomic(target string, data []byte) error {
	info, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("could not stat kubeconfig: %w", err)
	}
	return atomicfile.WriteFileWith(target, data, info.Mode().Perm(), func(tmp *os.File) error {
		return keepOwner(tmp, info)
	})
}
