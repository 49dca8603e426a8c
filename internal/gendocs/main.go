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
var binaries = []string{"kcc-cache", "kcc-injector", "kcc-eks", "kcc-connect", "kcc-oidc", "kcc-aks"}

func main() {
	out := flag.String("out", "generated", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	for _, dir := range []string{"bash", "zsh", "fish", "man"} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return err
		}
	}
	bin, err := buildAll()
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	for _, name := range binaries {
		path := filepath.Join(bin, name)
		if err := (program{name: name, path: path}).write(out); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// buildAll builds every binary into a temporary directory, in one go build
// (its links run in parallel), and returns the directory.
func buildAll() (string, error) {
	dir, err := os.MkdirTemp("", "gendocs")
	if err != nil {
		return "", err
	}
	args := []string{"build", "-o", dir + string(os.PathSeparator)}
	for _, name := range binaries {
		args = append(args, "./cmd/"+name)
	}
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %w", err)
	}
	return dir, nil
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
