package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

const name = contract.InjectorCommand

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
	path, err := kubeconfigPath(o.files)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}

	opts := injector.Options{Users: o.users}
	if o.commandSet {
		opts.Command = o.command // restore then also recognises this command
	}
	edit := func(b []byte) ([]byte, error) { return injector.Restore(b, opts) }
	var report injector.NativeReport
	switch {
	case o.restore: // Restore also undoes --native-eks
	case o.native:
		opts.Command = o.command
		edit = func(b []byte) (out []byte, err error) {
			out, report, err = injector.InjectNativeEKS(b, opts)
			return out, err
		}
	default:
		opts.Command = o.command
		edit = func(b []byte) ([]byte, error) { return injector.Inject(b, opts) }
	}
	if err := process(path, o.inPlace, edit, stdout); err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	for _, s := range report.Skipped {
		cli.Warn(stderr, name, s.String())
	}
	if !o.restore {
		warnIfNotOnPath(o.command, stderr)
	}
	if len(report.Native) > 0 {
		warnIfNotOnPath(injector.EKSCommand, stderr)
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

// process reads the kubeconfig, edits it and writes the result to stdout or,
// with inPlace, back to the file. An in-place edit holds the lock from the
// read to the rename, so a kubectl write cannot slip in between and be lost.
func process(path string, inPlace bool, edit func([]byte) ([]byte, error), stdout io.Writer) error {
	target, err := resolve(path)
	if err != nil {
		return err
	}
	if inPlace {
		unlock, err := lockKubeconfig(path, target)
		if err != nil {
			return err
		}
		defer unlock()
	}
	src, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("could not read kubeconfig: %w", err)
	}
	out, err := edit(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !inPlace {
		_, err := stdout.Write(out)
		return err
	}
	if string(out) == string(src) {
		return nil // nothing to do; leave the file and its timestamps alone
	}
	return writeAtomic(target, out)
}
