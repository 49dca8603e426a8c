package cli

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"plain", errors.New("boom"), ExitFailure},
		{"usage", Usagef("bad %s", "flag"), ExitUsage},
		{"wrapped usage", fmt.Errorf("context: %w", Usagef("bad")), ExitUsage},
		{"see help", SeeHelp("kcc-x", errors.New("unknown flag: --y")), ExitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExitCode(tc.err); got != tc.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}

func TestPrintError(t *testing.T) {
	for _, tc := range []struct {
		name, msg, want string
	}{
		{"one line", "could not read x: no such file", "kcc-x: could not read x: no such file\n"},
		{"line breaks", "first\r\nsecond\n\tthird\n", "kcc-x: first second third\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			PrintError(&b, "kcc-x", tc.msg)
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}

func TestFailAndWarn(t *testing.T) {
	var b bytes.Buffer
	if code := Fail(&b, "kcc-x", ExitUsage, SeeHelp("kcc-x", errors.New("unknown flag: --y"))); code != ExitUsage {
		t.Errorf("code %d", code)
	}
	Warn(&b, "kcc-x", "y is not on PATH")
	const want = "kcc-x: unknown flag: --y (see kcc-x --help)\nkcc-x: warning: y is not on PATH\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
