package main

import (
	"slices"
	"testing"
)

func TestParseHelp(t *testing.T) {
	for _, tc := range []struct {
		name, help            string
		long, short, commands []string
	}{
		{
			name: "flag lines",
			help: "Usage: x [flags]\n\nFlags:\n  -i, --in-place   edit\n      --user name  only (repeatable)\n  -h, --help\n",
			long: []string{"--help", "--in-place", "--user"}, short: []string{"-h", "-i"},
		},
		{
			name: "usage lines and subcommands",
			help: "Usage: kcc-oidc get-token|setup|clean [flags]\n  kcc-cache --list [-o table|json]\n  --version | --help\n",
			long: []string{"--help", "--list", "--version"}, commands: []string{"clean", "get-token", "setup"},
		},
		{
			name: "a lone -- is not a flag",
			help: "  kcc-cache -- <plugin command>\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := parseHelp(tc.help)
			if !slices.Equal(w.long, tc.long) || !slices.Equal(w.short, tc.short) || !slices.Equal(w.commands, tc.commands) {
				t.Errorf("got %q %q %q, want %q %q %q", w.long, w.short, w.commands, tc.long, tc.short, tc.commands)
			}
		})
	}
}

func TestCobraCommands(t *testing.T) {
	help := "x\n\nAvailable Commands:\n  alias       Name\n  use         Write\n\nFlags:\n  -h\n"
	if got := cobraCommands(help); !slices.Equal(got, []string{"alias", "use"}) {
		t.Errorf("got %q", got)
	}
	if got := cobraCommands("Usage: x\n"); got != nil {
		t.Errorf("got %q for a help without commands", got)
	}
}

// TestRoffTextNonASCII: groff warns on, and mangles, raw UTF-8 ("…" in
// kcc-connect's help); roffText writes it as groff's \[uXXXX].
func TestRoffTextNonASCII(t *testing.T) {
	for in, want := range map[string]string{
		"kcc-saml-…\n":  "kcc-saml-\\[u2026]\n",
		"a — b\n":       "a \\[u2014] b\n",
		".x \\ plain\n": "\\&.x \\e plain\n",
	} {
		if got := roffText(in); got != want {
			t.Errorf("roffText(%q) = %q, want %q", in, got, want)
		}
	}
}
