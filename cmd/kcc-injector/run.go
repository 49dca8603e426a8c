package main

import (
	"fmt"
	"io"
	"os/exec"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

// run is main without the process: it returns the exit code (0 ok, 1
// failure, 2 usage) so tests can call it in-process.
func run(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	o, fs, err := parseFlags(args)
	if err != nil {
		fmt.Fprintf(stderr, "kcc-injector: %v (see kcc-injector --help)\n", err)
		return 2
	}
	if o.help {
		printUsage(stdout, fs)
		return 0
	}
	if o.version {
		printVersion(stdout)
		return 0
	}
	if len(o.files) > 1 {
		fmt.Fprintln(stderr, "kcc-injector: one kubeconfig at a time, got", len(o.files))
		return 2
	}
	paths, err := kubeconfigPaths(o.files)
	if err != nil {
		fmt.Fprintln(stderr, "kcc-injector:", err)
		return 1
	}
	if len(paths) > 1 && !o.inPlace {
		fmt.Fprintf(stderr, "kcc-injector: $KUBECONFIG names %d files; name the one to print, or give -i to edit each in place\n", len(paths))
		return 2
	}

	var report injector.NativeReport
	edit := edits(o, &report)
	if o.inPlace {
		err = editInPlace(paths, len(o.files) == 1, o.users, edit)
	} else {
		err = printEdited(paths[0], o.users, edit, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "kcc-injector:", err)
		return 1
	}
	for _, s := range report.Skipped {
		fmt.Fprintf(stderr, "kcc-injector: warning: %s\n", s)
	}
	if !o.restore {
		warnIfNotOnPath(o.command, stderr)
	}
	if len(report.Native) > 0 {
		warnIfNotOnPath(injector.EKSCommand, stderr)
	}
	return 0
}

// warnIfNotOnPath: kubectl would fail with "executable kcc-cache not found".
// Only after an injection; a restore removes the command.
func warnIfNotOnPath(command string, stderr io.Writer) {
	if _, err := exec.LookPath(command); err != nil {
		fmt.Fprintf(stderr, "kcc-injector: warning: %s is not on PATH; kubectl will fail to run it until it is installed\n", command)
	}
}

func printVersion(w io.Writer) {
	fmt.Fprintln(w, buildinfo.Line("kcc-injector", version, commit, date))
}
