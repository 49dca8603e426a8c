package cache

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

func TestParseCredential(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		expires time.Time
	}{
		{name: "token v1beta1", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2026-11-23T06:23:09Z","token":"k8s-aws-v1.abc"}}`,
			expires: time.Date(2026, 11, 23, 6, 23, 9, 0, time.UTC)},
		{name: "token v1 pretty", in: "{\n \"kind\": \"ExecCredential\",\n \"apiVersion\": \"client.authentication.k8s.io/v1\",\n \"status\": {\"token\": \"t\"}\n}\n"},
		{name: "client certificate", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----","clientKeyData":"-----BEGIN PRIVATE KEY-----"}}`},
		{name: "empty expiry", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":""}}`},
		{name: "not JSON", in: `token: abc`, wantErr: "not JSON"},
		{name: "wrong kind", in: `{"kind":"Secret","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t"}}`, wantErr: "kind"},
		{name: "v1alpha1", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","status":{"token":"t"}}`, wantErr: "apiVersion"},
		{name: "no status", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"}`, wantErr: "no status"},
		{name: "null status", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":null}`, wantErr: "no status"},
		{name: "empty status", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}}`, wantErr: "neither token"},
		{name: "cert without key", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"c"}}`, wantErr: "without key"},
		{name: "bad expiry", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":"tomorrow"}}`, wantErr: "RFC 3339"},
		{name: "status not object", in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":"t"}`, wantErr: "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCredential([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, errInvalidCredential) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !c.Expires.Equal(tt.expires) {
				t.Errorf("Expires = %v, want %v", c.Expires, tt.expires)
			}
			if !json.Valid(c.Status) {
				t.Errorf("Status is not JSON: %s", c.Status)
			}
		})
	}
}

func TestErrorsNeverQuoteTheCredential(t *testing.T) {
	const secret = "SECRET-TOKEN-VALUE"
	inputs := []string{
		`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"` + secret + `","expirationTimestamp":"` + secret + `"}}`,
		`{"kind":"` + secret + `","status":{"token":"` + secret + `"}}`,
		`{"kind":"ExecCredential","apiVersion":"` + secret + `"}`,
		`not json ` + secret,
	}
	for _, in := range inputs {
		_, err := ParseCredential([]byte(in))
		if err == nil {
			t.Fatalf("accepted %s", in)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error quotes the input: %v", err)
		}
	}
}

func TestRenderRoundTrip(t *testing.T) {
	status := json.RawMessage(`{"token":"t","expirationTimestamp":"2026-11-23T06:23:09Z"}`)
	for _, v := range []string{execcred.APIVersionV1, execcred.APIVersionV1beta1} {
		out := Render(v, status)
		c, err := ParseCredential(out)
		if err != nil {
			t.Fatalf("Render(%s) does not parse: %v\n%s", v, err, out)
		}
		if string(c.Status) != string(status) {
			t.Errorf("status changed: %s", c.Status)
		}
		var doc struct{ APIVersion string }
		if err := json.Unmarshal(out, &doc); err != nil || doc.APIVersion != v {
			t.Errorf("apiVersion = %q, want %q (%v)", doc.APIVersion, v, err)
		}
	}
}

// FuzzParseCredential: plugin output is untrusted input. Whatever is
// accepted must render to an ExecCredential that parses to the same status.
func FuzzParseCredential(f *testing.F) {
	f.Add([]byte(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"expirationTimestamp":"2026-11-23T06:23:09Z","token":"k8s-aws-v1.abc"}}`))
	f.Add([]byte(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"c","clientKeyData":"k"}}`))
	f.Add([]byte(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":null}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ParseCredential(in)
		if err != nil {
			return
		}
		again, err := ParseCredential(Render(execcred.APIVersionV1, c.Status))
		if err != nil {
			t.Fatalf("accepted credential does not render to a valid one: %v", err)
		}
		if string(again.Status) != string(c.Status) || !again.Expires.Equal(c.Expires) {
			t.Fatalf("round trip changed the credential")
		}
	})
}
