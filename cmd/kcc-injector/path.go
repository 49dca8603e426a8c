package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/kubeconfigfile"
)

// kubeconfigPath picks the file like kubectl would write to it: the
// argument, else the first entry of $KUBECONFIG, else ~/.kube/config.
func kubeconfigPath(files []string) (string, error) {
	if len(files) == 1 {
		return files[0], nil
	}
	return kubeconfigfile.DefaultPath(os.Getenv)
}

// resolve follows symlinks, so that an in-place edit replaces the target and
// keeps the link (a dotfiles repository, say) intact.
func resolve(path string) (string, error) {
	target, err := kubeconfigfile.Resolve(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: no such file", path)
	}
	return target, err
}
