package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// tokenURL is the presigned URL inside an ExecCredential's token, for
// failure messages (test keys only).
func tokenURL(t *testing.T, execCredential []byte) string {
	t.Helper()
	var c struct {
		Status struct{ Token string } `json:"status"`
	}
	if err := json.Unmarshal(execCredential, &c); err != nil {
		return "(not JSON: " + err.Error() + ")"
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(c.Status.Token, "k8s-aws-v1."))
	if err != nil {
		return "(bad token: " + err.Error() + ")"
	}
	return string(b)
}
