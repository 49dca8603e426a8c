package motoserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// AssumedRole is one role session moto has issued, with its keys: what STS
// knows when it checks a request signed by that session.
type AssumedRole struct {
	AccessKeyID     string  `json:"access_key_id"`
	SecretAccessKey string  `json:"secret_access_key"`
	SessionToken    string  `json:"session_token"`
	AccountID       string  `json:"account_id"`
	ARN             string  `json:"arn"`
	RoleARN         string  `json:"role_arn"`
	SessionName     string  `json:"session_name"`
	ExternalID      *string `json:"external_id"`
}

// AssumedRoles lists every role session moto has issued so far.
func AssumedRoles(t testing.TB, endpoint string) []AssumedRole {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), http.MethodGet, endpoint+"/moto-api/data.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("moto: read state: %v", err)
	}
	defer resp.Body.Close()
	var data struct {
		STS struct {
			AssumedRole []AssumedRole
		} `json:"sts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&data); err != nil {
		t.Fatalf("moto: decode state: %v", err)
	}
	return data.STS.AssumedRole
}

// SessionSecret returns the secret key of a role session moto issued, for
// an eksauth.Verifier's Secret.
func SessionSecret(t testing.TB, endpoint string) func(accessKeyID string) (string, bool) {
	return func(id string) (string, bool) {
		for _, r := range AssumedRoles(t, endpoint) {
			if r.AccessKeyID == id {
				return r.SecretAccessKey, true
			}
		}
		return "", false
	}
}

// String names the session without its keys, for test messages.
func (r AssumedRole) String() string {
	return fmt.Sprintf("%s (key %s)", r.ARN, r.AccessKeyID)
}
