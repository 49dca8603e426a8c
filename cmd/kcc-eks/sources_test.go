package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
)

// stsHost is where a token for region eu-west-1 points.
const stsHost = "sts.eu-west-1.amazonaws.com"

// TestCredentialSources: the SDK's chain finds credentials wherever a user
// keeps them, and the token is signed with them.
func TestCredentialSources(t *testing.T) {
	t.Parallel()
	const id, secret, session = "ASIDSOURCE", "source/secret", "source-session-token"
	credsJSON := func(extra map[string]any) string {
		m := map[string]any{"AccessKeyId": id, "SecretAccessKey": secret, "Token": session,
			"Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}
		for k, v := range extra {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}

	t.Run("credential_process", func(t *testing.T) {
		t.Parallel()
		script := filepath.Join(t.TempDir(), "creds")
		out := `{"Version":1,"AccessKeyId":"` + id + `","SecretAccessKey":"` + secret + `","SessionToken":"` + session + `"}`
		if err := os.WriteFile(script, []byte("#!/bin/sh\necho '"+out+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		env := append(home(t, "[profile proc]\ncredential_process = "+script+"\nregion = eu-west-1\n", ""), "AWS_PROFILE=proc", "AWS_EC2_METADATA_DISABLED=true")
		checkSigned(t, kccEKS(t, env, "", "--cluster-name", "demo"), id, secret, session)
	})

	t.Run("container role", func(t *testing.T) {
		t.Parallel()
		// The ECS/EKS Pod Identity agent's endpoint.
		agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "agent-auth" {
				http.Error(w, "no auth", http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(credsJSON(nil)))
		}))
		t.Cleanup(agent.Close)
		env := append(home(t, "", ""), "AWS_CONTAINER_CREDENTIALS_FULL_URI="+agent.URL+"/creds",
			"AWS_CONTAINER_AUTHORIZATION_TOKEN=agent-auth", "AWS_REGION=eu-west-1", "AWS_EC2_METADATA_DISABLED=true")
		checkSigned(t, kccEKS(t, env, "", "--cluster-name", "demo"), id, secret, session)
	})

	t.Run("instance role", func(t *testing.T) {
		t.Parallel()
		// EC2's instance-metadata service (IMDSv2). moto_server has one, but
		// its answers lack the "Code" the Go SDK requires.
		imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
				w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
				_, _ = w.Write([]byte("imds-session"))
			case r.Header.Get("X-Aws-Ec2-Metadata-Token") != "imds-session":
				http.Error(w, "no token", http.StatusUnauthorized)
			case r.URL.Path == "/latest/meta-data/iam/security-credentials/":
				_, _ = w.Write([]byte("node-role"))
			case r.URL.Path == "/latest/meta-data/iam/security-credentials/node-role":
				_, _ = w.Write([]byte(credsJSON(map[string]any{"Code": "Success", "Type": "AWS-HMAC"})))
			default:
				http.NotFound(w, r)
			}
		}))
		t.Cleanup(imds.Close)
		env := append(home(t, "", ""), "AWS_EC2_METADATA_SERVICE_ENDPOINT="+imds.URL, "AWS_REGION=eu-west-1")
		checkSigned(t, kccEKS(t, env, "", "--cluster-name", "demo"), id, secret, session)
	})
}

// checkSigned: the token verifies with secret for key id and carries
// session.
func checkSigned(t *testing.T, r result, id, secret, session string) {
	t.Helper()
	got := verify(t, token(t, r), "demo", stsHost, eksauth.Keys(map[string]string{id: secret}))
	if got.AccessKeyID != id || got.SessionToken != session {
		t.Errorf("signed by %s with session token %q", got.AccessKeyID, got.SessionToken)
	}
	if strings.Contains(r.stderr, secret) {
		t.Error("stderr shows the secret")
	}
}
