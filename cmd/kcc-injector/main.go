// Command kcc-injector wraps the exec credential plugins of a kubeconfig
// with kcc-cache, and puts them back with -r, without touching anything else.
package main

import "os"

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
