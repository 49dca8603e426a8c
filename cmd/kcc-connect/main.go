// Command kcc-connect finds the EKS clusters your AWS profiles can see and
// writes kubeconfig entries for them that get their tokens through
// kcc-cache, without touching the rest of the file.
package main

import "github.com/IvMisticos/kube-credential-cache/internal/cli/interrupt"

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() { interrupt.Main(run) }
