// Package cli is what the four binaries' mains share: the exit codes, the
// usage error, and the printer of the one-line "NAME: message" errors. It
// imports only the standard library and has no init work, since kcc-cache
// links it and every kubectl call starts kcc-cache.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit codes of every binary (a wrapped plugin's failure keeps its own).
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2 // a bad command line, flag or setting
)

// UsageError is a mistake on the command line or in a setting: the user
// must change what they typed, so the exit code is ExitUsage.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a formatted message (%w wraps as in
// fmt.Errorf).
func Usagef(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// SeeHelp is err as a UsageError that points at name's --help, for a
// command line that could not be parsed.
func SeeHelp(name string, err error) error {
	return &UsageError{Err: fmt.Errorf("%w (see %s --help)", err, name)}
}

// IsUsage reports whether err is (or wraps) a UsageError.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// ExitCode is the exit code for err: ExitOK for nil, ExitUsage for a usage
// error, ExitFailure for anything else.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case IsUsage(err):
		return ExitUsage
	}
	return ExitFailure
}

// PrintError writes msg to w as the one line "name: msg"; line breaks in
// msg (an SDK's or a plugin's text) become spaces.
func PrintError(w io.Writer, name, msg string) {
	if strings.ContainsAny(msg, "\r\n") {
		msg = strings.Join(strings.Fields(msg), " ")
	}
	fmt.Fprintf(w, "%s: %s\n", name, msg)
}

// Fail prints err with PrintError and returns code, so that a main's
// failure is one statement: return cli.Fail(stderr, name, cli.ExitFailure, err).
func Fail(w io.Writer, name string, code int, err error) int {
	PrintError(w, name, err.Error())
	return code
}

// Warn writes the one line "name: warning: msg" to w.
func Warn(w io.Writer, name, msg string) {
	PrintError(w, name, "warning: "+msg)
}

// Finish ends a subcommand main (kcc-oidc, kcc-aks): a usage error points
// at "name command --help", any error is one line on w, and the result is
// the exit code.
func Finish(w io.Writer, name, command string, err error) int {
	if IsUsage(err) {
		err = SeeHelp(name+" "+command, err)
	}
	if err != nil {
		PrintError(w, name, err.Error())
	}
	return ExitCode(err)
}
