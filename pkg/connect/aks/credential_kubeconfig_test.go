package aks

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestParseCredentialRefusals: a credential kubeconfig kcc-connect cannot
// use is refused with a reason that never quotes it (it may hold a key).
func TestParseCredentialRefusals(t *testing.T) {
	const secret = "c2VjcmV0LWtleS1tYXRlcmlhbA=="
	ca := base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	for _, tc := range []struct{ name, kc, want string }{
		{"not yaml", "clusters: [\n  client-key-data: " + secret + " {", "not YAML"},
		{"no user", "clusters:\n- name: c\n  cluster: {server: 'https://x:443'}\n", "with a cluster and a user"},
		{"http server", "clusters:\n- name: c\n  cluster: {server: 'http://x'}\nusers:\n- name: u\n  user: {token: t}\n", "no https server"},
		{"bad CA", "clusters:\n- name: c\n  cluster: {server: 'https://x:443', certificate-authority-data: " + ca + "}\nusers:\n- name: u\n  user: {token: t}\n", "not a base64 PEM certificate"},
		{"bad key", "clusters:\n- name: c\n  cluster: {server: 'https://x:443'}\nusers:\n- name: u\n  user: {client-certificate-data: " + secret + ", client-key-data: " + secret + "}\n", "not base64 PEM"},
		{"token only", "clusters:\n- name: c\n  cluster: {server: 'https://x:443'}\nusers:\n- name: u\n  user: {token: " + secret + "}\n", "neither an Entra ID login nor a client certificate"},
		{"exec without server id", "clusters:\n- name: c\n  cluster: {server: 'https://x:443'}\nusers:\n- name: u\n  user: {exec: {command: kubelogin, args: [get-token, --login, devicecode]}}\n", "names no Entra ID server application"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseCredential([]byte(tc.kc))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), secret) {
				t.Errorf("error %v, want one with %q and without the file's contents", err, tc.want)
			}
		})
	}
}
