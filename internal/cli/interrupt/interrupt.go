// Package interrupt is the main of a binary that must finish or undo its
// work on Ctrl-C. It is apart from internal/cli because kcc-cache and
// kcc-eks install no signal handler (it costs start-up time) and must not
// link os/signal.
package interrupt

import (
	"context"
	"io"
	"os"
	"os/signal"
)

// Main runs run with the process's arguments and stdio and a context that
// Ctrl-C cancels, and exits with run's code.
func Main(run func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
