package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// kubeconfigPath picks the file like kubectl would write to it: the
// argument, else the first entry of $KUBECONFIG, else ~/.kube/config.
func kubeconfigPath(files []string) (string, error) {
	if len(files) == 1 {
		return files[0], nil
	}
	for _, p := range filepath.SplitList(os.Getenv("KUBECONFIG")) {
		if p != "" {
			return p, nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no kubeconfig given and no home directory: %w", err)
	}
	return filepath.Join(home, ".kube", "config"), nil
}

// resolve follows symlinks, so that an in-place edit replaces the target and
// keeps the link (a dotfiles repository, say) intact.
func resolve(path string) (string, error) {
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%s: no such file", path)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return target, nil
}
