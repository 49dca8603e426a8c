package ekstoken

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// mfaPrompt asks for the MFA code of a profile with mfa_serial the way the
// CLI does, but on stderr: stdout carries only the ExecCredential. On a
// terminal the code is not echoed, as by the CLI's getpass: it is a secret
// for as long as it is valid.
func mfaPrompt(stdin io.Reader, stderr io.Writer, serial string) func() (string, error) {
	return func() (string, error) {
		fmt.Fprintf(stderr, "Enter MFA code for %s: ", serial)
		line, err := readCode(stdin, stderr)
		if code := strings.TrimSpace(line); code != "" {
			return code, nil
		}
		if err == nil {
			return "", fmt.Errorf("no MFA code entered for %s", serial)
		}
		if errors.Is(err, io.EOF) {
			// kubectl connects stdin only for interactive exec plugins.
			return "", fmt.Errorf("no MFA code for %s: stdin is closed (kubectl gives exec plugins a terminal only with interactiveMode IfAvailable or Always)", serial)
		}
		return "", fmt.Errorf("could not read the MFA code for %s: %w", serial, err)
	}
}

// readCode reads one line: without echo from a terminal (ending the
// prompt's line itself, as the Enter key is not echoed either), as it comes
// from anything else.
func readCode(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	return bufio.NewReader(stdin).ReadString('\n')
}
