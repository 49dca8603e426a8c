package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"syscall"
)

// PluginError is a failed run of the wrapped plugin. kcc-cache exits with
// Code so that scripts and kubectl see the plugin's own status.
type PluginError struct {
	Command string // program name only: arguments may hold secrets
	Code    int
	Err     error
}

func (e *PluginError) Error() string {
	var exitErr *exec.ExitError
	if errors.As(e.Err, &exitErr) {
		return fmt.Sprintf("plugin %s failed: %v", e.Command, exitErr.ProcessState)
	}
	return fmt.Sprintf("could not run plugin %s: %v", e.Command, e.Err)
}

func (e *PluginError) Unwrap() error { return e.Err }

// runPlugin runs argv with the caller's stdin and stderr, so prompts and MFA
// codes reach the user, and returns what it printed on stdout.
func runPlugin(ctx context.Context, argv []string, env []string, stdin io.Reader, stderr io.Writer) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env // nil: the plugin inherits kcc-cache's environment
	cmd.Stdin = stdin
	cmd.Stderr = stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	if err == nil {
		return out.Bytes(), nil
	}
	name := Identity{Argv: argv}.Command()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code := exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal()) // what a shell reports for a killed child
		}
		return nil, &PluginError{Command: name, Code: code, Err: err}
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		// 127 and 126 are what a shell reports for "not found" and "found but
		// cannot run": there is no exit code of the plugin's own to pass on.
		return nil, &PluginError{Command: name, Code: 127, Err: err}
	default:
		return nil, &PluginError{Command: name, Code: 126, Err: err}
	}
}
