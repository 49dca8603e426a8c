package ekstoken

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Expiry is how long after signing the CLI says its token expires: EKS
// accepts a token for 15 minutes, the minute less leaves client-go time to
// refresh.
const Expiry = 14 * time.Minute

// expiryFormat is the CLI's '%Y-%m-%dT%H:%M:%SZ'.
const expiryFormat = "2006-01-02T15:04:05Z"

// Credential is the printed ExecCredential.
type Credential struct {
	APIVersion string
	Token      string
	Expires    time.Time
}

// Marshal returns the ExecCredential as `aws eks get-token` prints it with
// its default JSON output: keys in the order kind, apiVersion, spec, status
// {expirationTimestamp, token}, indented by 4 spaces, then a newline and the
// empty line the CLI adds after it.
func (c Credential) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("{\n    \"kind\": ")
	writeString(&b, execcred.Kind)
	b.WriteString(",\n    \"apiVersion\": ")
	writeString(&b, c.APIVersion)
	b.WriteString(",\n    \"spec\": {},\n    \"status\": {\n        \"expirationTimestamp\": ")
	writeString(&b, c.Expires.UTC().Format(expiryFormat))
	b.WriteString(",\n        \"token\": ")
	writeString(&b, c.Token)
	b.WriteString("\n    }\n}\n\n")
	return b.Bytes()
}

// writeString writes s as a JSON string. The values are ASCII tokens and
// constants; encoding/json still escapes anything else correctly.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode's newline
}
