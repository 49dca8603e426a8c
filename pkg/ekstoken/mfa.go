package ekstoken

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// mfaPrompt asks for the MFA code of a profile with mfa_serial the way the
// CLI does, but on stderr: stdout carries only the ExecCredential.
func mfaPrompt(stdin io.Reader, stderr io.Writer, serial string) func() (string, error) {
	return func() (string, error) {
		fmt.Fprintf(stderr, "Enter MFA code for %s: ", serial)
		line, err := bufio.NewReader(stdin).ReadString('\n')
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
