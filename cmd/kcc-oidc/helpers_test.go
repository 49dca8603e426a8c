package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

// progress are the lines a login prints before it can fail: where to log in.
var progress = []string{"kcc-oidc: log in at ", "kcc-oidc: open "}

// wantOneLine checks that a run failed with code, printing nothing on stdout
// and, besides a login's progress lines, exactly one line on stderr that
// starts with "kcc-oidc: " and holds want.
func wantOneLine(t *testing.T, r result, code int, want string) {
	t.Helper()
	if r.code != code || r.stdout != "" {
		t.Errorf("exit %d with stdout %q; want exit %d and no stdout", r.code, r.stdout, code)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
		if !slices.ContainsFunc(progress, func(p string) bool { return strings.HasPrefix(l, p) }) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "kcc-oidc: ") || !strings.Contains(lines[0], want) {
		t.Errorf("stderr:\n%s\nwant one line starting with kcc-oidc: and holding %q", r.stderr, want)
	}
}
