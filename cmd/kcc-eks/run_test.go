package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestHelpAndVersion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "--cluster-name string"},
		{[]string{"-h"}, "kcc-cache"},
		{[]string{"--version"}, "kcc-eks dev"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
		if code != 0 || !strings.Contains(stdout.String(), tc.want) || stderr.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q on stdout", tc.args, code, stdout.String(), stderr.String(), tc.want)
		}
	}
}
