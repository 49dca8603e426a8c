package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/kubeconfigfile"
)

// kubeconfigPaths are the files to edit: the argument, else those kubectl
// reads ($KUBECONFIG, else ~/.kube/config).
func kubeconfigPaths(files []string) ([]string, error) {
	if len(files) == 1 {
		return files, nil
	}
	return kubeconfigfile.Files(os.Getenv)
}

// resolve follows symlinks, so that the file printed is the one an
// in-place edit would change.
func resolve(path string) (string, error) {
	target, err := kubeconfigfile.Resolve(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: no such file", path)
	}
	return target, err
}
