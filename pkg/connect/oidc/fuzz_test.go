package oidc

import (
	"strings"
	"testing"
)

// FuzzParseList: a cluster list comes from users' files and team servers.
// Whatever the bytes, ParseList does not panic, an error is one line, and a
// list it accepts passes Validate with unique ids and https servers.
func FuzzParseList(f *testing.F) {
	f.Add([]byte("clusters:\n- id: dev\n  server: https://dev\n  issuerUrl: https://i\n  clientId: kube\n  labels: {env: dev}\n"))
	f.Add([]byte(`[{"id":"a","server":"https://a","issuerUrl":"http://localhost:1/","clientId":"c","extraScopes":["x"]}]`))
	f.Add([]byte("- {id: a, server: 'https://a', issuerUrl: 'https://i', clientId: c, caData: aGVsbG8=}"))
	f.Add([]byte("clusters: [&a {id: a}, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseList(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error on more than one line: %q", err)
			}
			return
		}
		if err := Validate(cs); err != nil {
			t.Fatalf("accepted a list Validate refuses: %v", err)
		}
		seen := map[string]bool{}
		for _, c := range cs {
			// The scheme is case-insensitive (url.Parse, and so kubectl,
			// reads httpS:// as https://).
			if seen[c.ID] || len(c.Server) < 8 || !strings.EqualFold(c.Server[:8], "https://") {
				t.Fatalf("accepted %+v", c)
			}
			seen[c.ID] = true
		}
	})
}
