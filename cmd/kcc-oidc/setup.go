package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

// setupUser is the kubeconfig user name setup prints, kubelogin's.
const setupUser = "oidc"

// setup prints the kubeconfig users entry that runs kcc-oidc get-token with
// these flags behind kcc-cache. A --password is left out: a kubeconfig is no
// place for it, and get-token prompts for it.
func (w world) setup(args []string) error {
	o, err := flags.Parse(args)
	if err != nil {
		return err
	}
	if o.Help {
		printUsage(w.stdout)
		return nil
	}
	if o.Password != "" {
		fmt.Fprintf(w.stderr, "%s: --%s is left out of the entry; get-token prompts for it\n", name, contract.OIDCPassword)
	}
	cmd := o.Command()
	var b strings.Builder
	fmt.Fprintf(&b, "users:\n- name: %s\n  user:\n    exec:\n", setupUser)
	fmt.Fprintf(&b, "      apiVersion: %s\n      command: kcc-cache\n      args:\n", execcred.APIVersionV1)
	for _, a := range append([]string{cmd.Command()}, cmd.Args()...) {
		fmt.Fprintf(&b, "      - %s\n", quote(a))
	}
	fmt.Fprintf(&b, "      env:\n      - name: %s\n        value: %s\n", execcred.UserEnv, setupUser)
	b.WriteString("      interactiveMode: IfAvailable\n")
	_, err = fmt.Fprint(w.stdout, b.String())
	return err
}

// quote is s as a YAML scalar: plain when it is safe, else a JSON string
// (a YAML double-quoted scalar).
func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`\\ \t") && !strings.HasPrefix(s, "-") {
		return s
	}
	if strings.HasPrefix(s, "--") && !strings.ContainsAny(s, "#{}[]&*!|>'\"%@`\\ \t") && !strings.Contains(s, ": ") {
		return s
	}
	b, _ := json.Marshal(s)
	return string(b)
}
