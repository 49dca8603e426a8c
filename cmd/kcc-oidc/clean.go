package main

import (
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/tokenstore"
)

// clean removes every token kcc-oidc stored (kcc-cache's own entries stay;
// `kcc-cache --clear` removes those).
func (w world) clean(args []string) error {
	if len(args) > 0 {
		return cli.Usagef("clean takes no arguments")
	}
	store, _, err := w.openStore()
	if err != nil {
		return err
	}
	n, err := tokenstore.Store{Backend: store, Now: w.now}.Clean()
	if err != nil {
		return err
	}
	fmt.Fprintf(w.stdout, "removed %d stored token set(s)\n", n)
	return nil
}
