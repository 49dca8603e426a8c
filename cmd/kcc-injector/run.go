package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

// run is main without the process: it returns the exit code (cli's) so
// tests can call it in-process. The edit takes no time worth cancelling, so
// ctx, which Ctrl-C cancels, only keeps the signal from cutting it (main).
func run(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	o, fs, err := parseFlags(args)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, cli.SeeHelp(name, err))
	}
	if o.help {
		printUsage(stdout, fs)
		return cli.ExitOK
	}
	if o.version {
		printVersion(stdout)
		return cli.ExitOK
	}
	if len(o.files) > 1 {
		return cli.Fail(stderr, name, cli.ExitUsage, fmt.Errorf("one kubeconfig at a time, got %d", len(o.files)))
	}
	paths, err := kubeconfigPaths(o.files)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	if len(paths) > 1 && !o.inPlace {
		return cli.Fail(stderr, name, cli.ExitUsage, fmt.Errorf("$KUBECONFIG names %d files; name the one to print, or give -i to edit each in place", len(paths)))
	}

	var report injector.NativeReport
	edit := edits(o, &report)
	if o.inPlace {
		err = editInPlace(paths, len(o.files) == 1, o.users, edit)
	} else {
		err = printEdited(paths[0], o.users, edit, stdout)
	}
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	for _, s := range report.Skipped {
		cli.Warn(stderr, name, s.String())
	}
	if !o.restore {
		warnIfNotOnPath(o.command, stderr)
	}
	for _, c := range report.Commands {
		warnIfNotOnPath(c, stderr)
	}
	return cli.ExitOK
}

// warnIfNotOnPath: kubectl would fail with "executable kcc-cache not found".
// Only after an injection; a restore removes the command.
func warnIfNotOnPath(command string, stderr io.Writer) {
	if _, err := exec.LookPath(command); err != nil {
		cli.Warn(stderr, name, command+" is not on PATH; kubectl will fail to run it until it is installed")
	}
}

func printVersion(w io.Writer) {
	fmt.Fprintln(w, buildinfo.Line(name, version, commit, date))
}
