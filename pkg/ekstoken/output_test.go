package ekstoken

import (
	"encoding/json"
	"testing"
	"time"
)

func TestMarshal(t *testing.T) {
	c := Credential{
		APIVersion: "client.authentication.k8s.io/v1",
		Token:      "k8s-aws-v1.abc_-",
		Expires:    time.Date(2025, 3, 4, 5, 20, 7, 999, time.FixedZone("CET", 3600)),
	}
	// The CLI's bytes: json.dumps(indent=4), a newline, and the empty line
	// `aws eks get-token` prints after it.
	want := `{
    "kind": "ExecCredential",
    "apiVersion": "client.authentication.k8s.io/v1",
    "spec": {},
    "status": {
        "expirationTimestamp": "2025-03-04T04:20:07Z",
        "token": "k8s-aws-v1.abc_-"
    }
}

`
	got := c.Marshal()
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var v map[string]any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
}
