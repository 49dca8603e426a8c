// Command kcc-cache is a caching proxy for Kubernetes exec credential
// plugins: put it in front of the plugin's command in a kubeconfig.
package main

import (
	"context"
	"io"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
)

// Set by GoReleaser's ldflags.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// main installs no signal handler, on purpose: signal.NotifyContext slowed
// every cache hit measurably (docs/design.md §2), and kcc-cache needs none. Ctrl-C reaches the plugin directly (same process
// group), the kernel drops our locks when we die, and cache entries are only
// ever replaced by rename, so dying at any point leaves them whole.
func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program; it returns the exit code so tests call it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, err := parseArgs(args)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, cli.SeeHelp(name, err))
	}
	switch cmd.action {
	case actionHelp:
		printUsage(stdout)
		return 0
	case actionVersion:
		printVersion(stdout)
		return 0
	case actionAgent:
		return serveAgent(stderr)
	}
	cfg, err := loadConfig()
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	switch cmd.action {
	case actionInfo:
		return info(cfg, stdout, stderr)
	case actionList:
		return list(cfg, cmd.format, stdout, stderr)
	case actionClear:
		return clearEntries(cfg, cmd.key, stdout, stderr)
	}
	return proxy(ctx, cfg, cmd.argv, stdin, stdout, stderr)
}
