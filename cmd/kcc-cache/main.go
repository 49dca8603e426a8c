// Command kcc-cache is a caching proxy for Kubernetes exec credential
// plugins: put it in front of the plugin's command in a kubeconfig.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Set by GoReleaser's ldflags.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program; it returns the exit code so tests call it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, err := parseArgs(args)
	if err != nil {
		return usageError(stderr, err)
	}
	switch cmd.action {
	case actionHelp:
		printUsage(stdout)
		return 0
	case actionVersion:
		printVersion(stdout)
		return 0
	}
	cfg, err := loadConfig()
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	switch cmd.action {
	case actionInfo:
		return info(cfg, stdout, stderr)
	case actionList:
		return list(cfg, cmd.format, stdout, stderr)
	case actionClear:
		return clear(cfg, cmd.key, stdout, stderr)
	}
	return proxy(ctx, cfg, cmd.argv, stdin, stdout, stderr)
}
