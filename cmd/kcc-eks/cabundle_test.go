package main

import (
	"encoding/pem"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
)

// TestCABundle: AWS_CA_BUNDLE is trusted for requests (STS behind a TLS
// server with its own CA), read only when a request is made, and still in
// the environment of a credential_process.
func TestCABundle(t *testing.T) {
	t.Parallel()
	endpoint := motoserver.Start(t)
	target, _ := url.Parse(endpoint)
	tlsSTS := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(target))
	t.Cleanup(tlsSTS.Close)
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSTS.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(extra ...string) []string {
		return append(motoEnv(t, endpoint, "AWS_ENDPOINT_URL_STS="+tlsSTS.URL), extra...)
	}
	role := []string{"--cluster-name", "prod", "--role-arn", "arn:aws:iam::123456789012:role/deployer"}

	t.Run("trusted", func(t *testing.T) {
		r := kccEKS(t, env("AWS_CA_BUNDLE="+bundle), "", role...)
		s := sessionVia(t, endpoint, mustHost(t, tlsSTS.URL), token(t, r), "prod")
		if s.ARN != "arn:aws:sts::123456789012:assumed-role/deployer/EKSGetTokenAuth" {
			t.Errorf("signed by %s", s.ARN)
		}
	})
	t.Run("not trusted without the bundle", func(t *testing.T) {
		r := kccEKS(t, env("AWS_CA_BUNDLE="), "", role...)
		wantOneLineError(t, r, 1, "certificate")
	})
	t.Run("read only for a request", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "missing.pem")
		token(t, kccEKS(t, env("AWS_CA_BUNDLE="+missing), "", "--cluster-name", "prod"))
		r := kccEKS(t, env("AWS_CA_BUNDLE="+missing), "", role...)
		wantOneLineError(t, r, 1, "could not read AWS_CA_BUNDLE "+missing)
	})
	t.Run("credential_process still sees it", func(t *testing.T) {
		dir := t.TempDir()
		seen := filepath.Join(dir, "seen")
		script := filepath.Join(dir, "creds")
		body := "#!/bin/sh\nprintf '%s' \"$AWS_CA_BUNDLE\" > " + seen + "\n" +
			`echo '{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"proc-secret"}'` + "\n"
		if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		e := append(home(t, "[default]\ncredential_process = "+script+"\nregion = eu-west-1\n", ""), "AWS_CA_BUNDLE="+bundle, "AWS_EC2_METADATA_DISABLED=true")
		token(t, kccEKS(t, e, "", "--cluster-name", "prod"))
		got, err := os.ReadFile(seen)
		if err != nil || strings.TrimSpace(string(got)) != bundle {
			t.Errorf("credential_process saw AWS_CA_BUNDLE=%q (%v), want %s", got, err, bundle)
		}
	})
}
