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

// MaxPluginOutput bounds what kcc-cache keeps of a plugin's stdout. kubectl
// reads a plugin's output whole, however large; kcc-cache must not hold a
// runaway plugin's gigabyte. Real ExecCredentials are 2–3 KB (an EKS token)
// to ~10 KB (a client certificate, key and chain), so 1 MiB is a hundred
// times the largest one seen and still small to hold.
const MaxPluginOutput = 1 << 20

// OutputTooLargeError is a plugin that succeeded but printed more than
// MaxPluginOutput: nothing of it is printed or cached.
type OutputTooLargeError struct {
	Command string // program name only
	Limit   int
}

func (e *OutputTooLargeError) Error() string {
	return fmt.Sprintf("plugin %s printed more than %d bytes (%d MiB) on stdout, more than any credential: not passing it on", e.Command, e.Limit, e.Limit>>20)
}

// runPlugin runs argv with the caller's stdin and stderr, so prompts and MFA
// codes reach the user, and returns what it printed on stdout.
func runPlugin(ctx context.Context, argv []string, env []string, stdin io.Reader, stderr io.Writer) ([]byte, error) {
	return runPluginMax(ctx, argv, env, stdin, stderr, MaxPluginOutput)
}

func runPluginMax(ctx context.Context, argv []string, env []string, stdin io.Reader, stderr io.Writer, max int) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env // nil: the plugin inherits kcc-cache's environment
	cmd.Stdin = stdin
	cmd.Stderr = stderr
	out := &cappedBuffer{max: max}
	cmd.Stdout = out
	err := cmd.Run()
	name := Identity{Argv: argv}.Command()
	if err == nil && out.over {
		return nil, &OutputTooLargeError{Command: name, Limit: max}
	}
	if err == nil {
		return out.buf.Bytes(), nil
	}
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

// cappedBuffer keeps the first max bytes written to it and drops the rest,
// noting that there was more. It keeps reading rather than failing the
// write: closing the pipe would kill the plugin with SIGPIPE, and its own
// exit status, which wins when it fails, would be lost.
type cappedBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); len(p) > room {
		b.buf.Write(p[:max(room, 0)])
		b.over = true
		return len(p), nil
	}
	return b.buf.Write(p)
}
