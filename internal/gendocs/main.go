// Command gendocs writes the shell completions (bash, zsh, fish) and the man
// page of every binary, for the release to ship in its archives, packages
// and cask (.goreleaser.yaml runs it as a before hook):
//
//	go run ./internal/gendocs -out generated
//
// writes OUT/bash/NAME, OUT/zsh/_NAME, OUT/fish/NAME.fish and
// OUT/man/NAME.1.gz: the names each shell and man look for, so the
// packages copy each directory whole. It runs the binaries, built for this
// machine, and reads each one's --help, so nothing is linked into them (no
// startup cost): kcc-connect's completions are cobra's own (`kcc-connect
// completion SHELL`), the others' complete the flags and subcommands their
// help lists.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// binaries are the programs under cmd/ the release ships.
var binaries = []string{"kcc-cache", "kcc-injector", "kcc-eks", "kcc-connect", "kcc-oidc"}

func main() {
	if os.Getenv(printPathEnv) != "" && len(os.Args) > 1 {
		fmt.Println(os.Args[1])
		return
	}
	out := flag.String("out", "generated", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

// printPathEnv makes this program print its first argument and exit: it is
// the -exec wrapper of executable's go run.
const printPathEnv = "GENDOCS_PRINT_PATH"

func run(out string) error {
	for _, dir := range []string{"bash", "zsh", "fish", "man"} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return err
		}
	}
	for _, name := range binaries {
		path, err := executable(name)
		if err != nil {
			return err
		}
		if err := (program{name: name, path: path}).write(out); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// executable returns the path of ./cmd/NAME built for this machine. go run
// keeps the executables it links in the build cache (Go 1.24+), so asking
// it, with this program as its -exec wrapper, for the path costs a link
// only when the binary changed; go build -o would link all five every time.
func executable(name string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "run", "-exec", `"`+self+`"`, "./cmd/"+name)
	cmd.Env = append(os.Environ(), printPathEnv+"=1")
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go run ./cmd/%s: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

type program struct{ name, path string }

// output runs the program and returns its stdout.
func (p program) output(args ...string) (string, error) {
	cmd := exec.Command(p.path, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", p.name, strings.Join(args, " "), err)
	}
	return string(b), nil
}

func (p program) write(out string) error {
	help, err := p.output("--help")
	if err != nil {
		return err
	}
	var sections []section
	completions := map[string]string{}
	if commands := cobraCommands(help); commands != nil {
		// A cobra program: its own completions, and a section per command.
		for _, shell := range []string{"bash", "zsh", "fish"} {
			if completions[shell], err = p.output("completion", shell); err != nil {
				return err
			}
		}
		for _, c := range commands {
			if c == "help" || c == "completion" {
				continue
			}
			h, err := p.output(c, "--help")
			if err != nil {
				return err
			}
			sections = append(sections, section{title: p.name + " " + c, text: h})
		}
	} else {
		w := parseHelp(help)
		completions["bash"] = bashCompletion(p.name, w)
		completions["zsh"] = zshCompletion(p.name, w)
		completions["fish"] = fishCompletion(p.name, w)
	}
	for shell, script := range completions {
		if err := os.WriteFile(filepath.Join(out, shell, completionFile(shell, p.name)), []byte(script), 0o644); err != nil {
			return err
		}
	}
	page, err := manPage(p.name, help, sections)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "man", p.name+".1.gz"), page, 0o644)
}

// completionFile is the name each shell loads a command's completion from.
func completionFile(shell, name string) string {
	switch shell {
	case "zsh":
		return "_" + name
	case "fish":
		return name + ".fish"
	}
	return name
}
