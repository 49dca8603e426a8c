package main

import "github.com/IvMisticos/kube-credential-cache/internal/kubeconfigfile"

// lockKubeconfig takes kubectl's <file>.lock for the path and its target.
func lockKubeconfig(path, target string) (unlock func(), err error) {
	return kubeconfigfile.Lock(path, target)
}

// writeAtomic replaces target with data, keeping its mode (and owner, when
// root), so a reader sees the old file or the new one, never a part.
func writeAtomic(target string, data []byte) error {
	return kubeconfigfile.Write(target, data)
}
