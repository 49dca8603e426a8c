package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

const usage = "Usage: kcc-injector [flags] <kubeconfig filepath>\n" +
	"\nWraps every exec credential plugin in the kubeconfig with kcc-cache (-r puts\n" +
	"them back). Without a file: the first file of $KUBECONFIG, else ~/.kube/config.\n" +
	"Without -i the result is printed and the file is left alone.\n\n"

// run is main without the process: it returns the exit code so tests can
// call it in-process.
func run(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kcc-injector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	command := fs.String("c", injector.DefaultCommand, "injection command")
	inPlace := fs.Bool("i", false, "edit file in-place")
	restore := fs.Bool("r", false, "restore kubeconfig to original")
	showVersion := fs.Bool("version", false, "print the version and exit")
	var users []string
	fs.Func("user", "only touch the user with this `name` (repeatable)", func(s string) error {
		users = append(users, s)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return 0
	}
	if err != nil {
		return 2 // flag has printed the error and the usage
	}
	if *showVersion {
		printVersion(stdout)
		return 0
	}
	if len(files) > 1 {
		fmt.Fprintln(stderr, "kcc-injector: one kubeconfig at a time, got", len(files))
		return 2
	}
	path, err := kubeconfigPath(files)
	if err != nil {
		fmt.Fprintln(stderr, "kcc-injector:", err)
		return 1
	}

	opts := injector.Options{Users: users}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "c" {
			opts.Command = *command // restore then also recognises this command
		}
	})
	edit := func(b []byte) ([]byte, error) { return injector.Restore(b, opts) }
	if !*restore {
		opts.Command = *command
		edit = func(b []byte) ([]byte, error) { return injector.Inject(b, opts) }
	}
	if err := process(path, *inPlace, edit, stdout); err != nil {
		fmt.Fprintln(stderr, "kcc-injector:", err)
		return 1
	}
	if _, err := exec.LookPath(*command); !*restore && err != nil {
		// kubectl would fail with "executable kcc-cache not found".
		fmt.Fprintf(stderr, "kcc-injector: warning: %s is not on PATH; kubectl will fail to run it until it is installed\n", *command)
	}
	return 0
}

func printVersion(w io.Writer) {
	fmt.Fprintln(w, buildinfo.Line("kcc-injector", version, commit, date))
}

// parseInterspersed lets flags follow the file name, as in
// "kcc-injector ~/.kube/config -i"; the flag package stops at the first
// argument that is not a flag.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
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
