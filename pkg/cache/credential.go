package cache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// execCredential is the part of the ExecCredential wire format kcc-cache reads.
// It mirrors client-go's clientauthentication types without linking them:
// client-go's package init would cost every kubectl call (docs/design.md §2).
type execCredential struct {
	Kind       string          `json:"kind"`
	APIVersion string          `json:"apiVersion"`
	Status     json.RawMessage `json:"status"`
}

type credentialStatus struct {
	ExpirationTimestamp   *string `json:"expirationTimestamp,omitempty"`
	Token                 string  `json:"token,omitempty"`
	ClientCertificateData string  `json:"clientCertificateData,omitempty"`
	ClientKeyData         string  `json:"clientKeyData,omitempty"`
}

// Credential is a validated ExecCredential status: the opaque JSON to serve
// again, and the expiry the plugin reported (zero when it reported none).
type Credential struct {
	Status  json.RawMessage
	Expires time.Time
}

// errInvalidCredential marks plugin output that kcc-cache will pass through
// but not cache. Its messages never quote the output: it may hold a token.
var errInvalidCredential = errors.New("not a valid ExecCredential")

// ParseCredential validates a plugin's stdout as client-go would accept it.
func ParseCredential(out []byte) (Credential, error) {
	var ec execCredential
	if err := json.Unmarshal(out, &ec); err != nil {
		return Credential{}, fmt.Errorf("%w: not JSON", errInvalidCredential)
	}
	if ec.Kind != "ExecCredential" {
		return Credential{}, fmt.Errorf("%w: kind is not ExecCredential", errInvalidCredential)
	}
	if ec.APIVersion != execcred.APIVersionV1 && ec.APIVersion != execcred.APIVersionV1beta1 {
		return Credential{}, fmt.Errorf("%w: unsupported apiVersion", errInvalidCredential)
	}
	if len(ec.Status) == 0 || bytes.Equal(ec.Status, []byte("null")) {
		return Credential{}, fmt.Errorf("%w: no status", errInvalidCredential)
	}
	var st credentialStatus
	if err := json.Unmarshal(ec.Status, &st); err != nil {
		return Credential{}, fmt.Errorf("%w: malformed status", errInvalidCredential)
	}
	hasCert := st.ClientCertificateData != "" || st.ClientKeyData != ""
	switch {
	case hasCert && (st.ClientCertificateData == "" || st.ClientKeyData == ""):
		return Credential{}, fmt.Errorf("%w: client certificate without key or key without certificate", errInvalidCredential)
	case st.Token == "" && !hasCert:
		return Credential{}, fmt.Errorf("%w: status has neither token nor client certificate", errInvalidCredential)
	}
	var exp time.Time
	if st.ExpirationTimestamp != nil && *st.ExpirationTimestamp != "" {
		t, err := time.Parse(time.RFC3339, *st.ExpirationTimestamp)
		if err != nil {
			return Credential{}, fmt.Errorf("%w: expirationTimestamp is not RFC 3339", errInvalidCredential)
		}
		exp = t
	}
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, ec.Status); err != nil {
		return Credential{}, fmt.Errorf("%w: malformed status", errInvalidCredential)
	}
	return Credential{Status: compacted.Bytes(), Expires: exp}, nil
}

// Render prints the credential as an ExecCredential of apiVersion. The status
// is the plugin's own bytes: v1 and v1beta1 share its shape, so a plugin that
// answers in the other version still gives the client the version it asked for.
func Render(apiVersion string, status json.RawMessage) []byte {
	out := make([]byte, 0, len(status)+128)
	out = append(out, `{"kind":"ExecCredential","apiVersion":`...)
	out = appendJSONString(out, apiVersion)
	out = append(out, `,"spec":{},"status":`...)
	out = append(out, status...)
	return append(out, "}\n"...)
}
