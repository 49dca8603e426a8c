package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
)

func funcName(name string) string { return "_" + strings.ReplaceAll(name, "-", "_") }

// bashCompletion completes flags after "-", the subcommands (if any) as the
// first word, and file names otherwise (-o default); kcc-cache's first word
// is a plugin command, so it completes commands there.
func bashCompletion(name string, w words) string {
	var b strings.Builder
	fn := funcName(name)
	fmt.Fprintf(&b, "# bash completion for %s (generated from %s --help)\n", name, name)
	fmt.Fprintf(&b, "%s() {\n\tlocal cur=${COMP_WORDS[COMP_CWORD]}\n", fn)
	fmt.Fprintf(&b, "\tif [[ $cur == -* ]]; then\n\t\tmapfile -t COMPREPLY < <(compgen -W '%s' -- \"$cur\")\n\t\treturn\n\tfi\n",
		strings.Join(append(append([]string{}, w.long...), w.short...), " "))
	switch {
	case len(w.commands) > 0:
		fmt.Fprintf(&b, "\tif ((COMP_CWORD == 1)); then\n\t\tmapfile -t COMPREPLY < <(compgen -W '%s' -- \"$cur\")\n\tfi\n",
			strings.Join(w.commands, " "))
	case name == "kcc-cache":
		b.WriteString("\tif ((COMP_CWORD == 1)); then\n\t\tmapfile -t COMPREPLY < <(compgen -c -- \"$cur\")\n\tfi\n")
	}
	fmt.Fprintf(&b, "}\ncomplete -o default -F %s %s\n", fn, name)
	return b.String()
}

func zshCompletion(name string, w words) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#compdef %s\n# zsh completion for %s (generated from %s --help)\n\n", name, name, name)
	b.WriteString("_arguments -s \\\n")
	for _, f := range append(append([]string{}, w.long...), w.short...) {
		fmt.Fprintf(&b, "\t'%s' \\\n", f)
	}
	switch {
	case len(w.commands) > 0:
		fmt.Fprintf(&b, "\t'1:command:(%s)' \\\n", strings.Join(w.commands, " "))
	case name == "kcc-cache":
		b.WriteString("\t'1:plugin command:_command_names -e' \\\n")
	}
	b.WriteString("\t'*:file:_files'\n")
	return b.String()
}

func fishCompletion(name string, w words) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# fish completion for %s (generated from %s --help)\n", name, name)
	for _, f := range w.long {
		fmt.Fprintf(&b, "complete -c %s -l %s\n", name, strings.TrimPrefix(f, "--"))
	}
	for _, f := range w.short {
		fmt.Fprintf(&b, "complete -c %s -s %s\n", name, strings.TrimPrefix(f, "-"))
	}
	if len(w.commands) > 0 {
		fmt.Fprintf(&b, "complete -c %s -n __fish_use_subcommand -f -a '%s'\n", name, strings.Join(w.commands, " "))
	}
	return b.String()
}

type section struct{ title, text string }

// manPage is a gzipped roff page: the program's help as its description
// and, for cobra programs, each command's help in a section of its own.
func manPage(name, help string, commands []section) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH %s 1 \"\" \"kube-credential-cache\" \"User Commands\"\n", strings.ToUpper(name))
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", name, summaries[name])
	fmt.Fprintf(&b, ".SH DESCRIPTION\n.nf\n%s.fi\n", roffText(help))
	if len(commands) > 0 {
		b.WriteString(".SH COMMANDS\n")
		for _, c := range commands {
			fmt.Fprintf(&b, ".SS %s\n.nf\n%s.fi\n", roffText(c.title), roffText(c.text))
		}
	}
	b.WriteString(".SH SEE ALSO\nhttps://github.com/IvMisticos/kube-credential-cache\n")

	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write([]byte(b.String())); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}

// roffText escapes text for a no-fill block: backslashes, a leading "."
// or "'" that roff would read as a request, and characters outside ASCII
// (help text says "…" and "—"), which groff reads byte by byte unless they
// are written as its \[uXXXX] escapes.
func roffText(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		line = strings.ReplaceAll(line, `\`, `\e`)
		line = nonASCII(line)
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line
		}
		b.WriteString(line)
	}
	if s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// nonASCII writes each rune past ASCII as groff's \[uXXXX].
func nonASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, `\[u%04X]`, r)
	}
	return b.String()
}

// summaries are the pages' NAME lines.
var summaries = map[string]string{
	"kcc-cache":    "caching proxy for Kubernetes exec credential plugins",
	"kcc-injector": "wrap a kubeconfig's exec credential plugins with kcc-cache",
	"kcc-eks":      "print an EKS token as a Kubernetes ExecCredential",
	"kcc-connect":  "write kubeconfig entries for the EKS clusters your AWS profiles can see",
	"kcc-oidc":     "OIDC login for kubectl (kubelogin's get-token) with kcc's token storage",
	"kcc-aks":      "Entra ID tokens for AKS (Azure kubelogin's get-token), natively",
}
