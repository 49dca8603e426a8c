package cache

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

func sameEntry(a, b entry) bool {
	return a.Gen == b.Gen && a.Expires.Equal(b.Expires) && a.User == b.User && a.Server == b.Server &&
		a.Command == b.Command && a.Inputs == b.Inputs && a.APIVersion == b.APIVersion && string(a.Status) == string(b.Status)
}

// What the cache writes is read back by the fast path, not the fallback.
func TestEntriesTakeTheFastPath(t *testing.T) {
	for _, e := range []entry{
		{Gen: "0123456789abcdef", Expires: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), Command: "aws", APIVersion: "client.authentication.k8s.io/v1beta1", Status: json.RawMessage(`{"token":"k8s-aws-v1.x","expirationTimestamp":"2099-01-01T00:00:00Z"}`)},
		{Gen: "g", Expires: time.Date(2030, 5, 6, 7, 8, 9, 123456789, time.FixedZone("", 2*3600)), User: "alice", Server: "https://k8s.example:6443", Command: "kubelogin", Inputs: "0123abcd", APIVersion: "client.authentication.k8s.io/v1", Status: json.RawMessage(`{"clientCertificateData":"c","clientKeyData":"k"}`)},
	} {
		rec, err := e.record("k", "label")
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeCanonicalEntry(rec.Value)
		if !ok || !sameEntry(got, e) {
			t.Errorf("fast path on %s: %+v, %v", rec.Value, got, ok)
		}
		if got, err := decodeEntry(rec); err != nil || !sameEntry(got, e) {
			t.Errorf("decodeEntry: %+v, %v", got, err)
		}
	}
	// An entry of another form still decodes, through encoding/json.
	odd := record.Record{Key: "k", Value: []byte(`{ "status": {"token":"t"}, "gen": "g\u0041", "apiVersion": "v", "expires": "2099-01-01T00:00:00Z" }`)}
	if got, err := decodeEntry(odd); err != nil || got.Gen != "gA" || string(got.Status) != `{"token":"t"}` {
		t.Errorf("fallback: %+v, %v", got, err)
	}
}

// FuzzDecodeCanonicalEntry: whatever the fast path accepts, json.Unmarshal
// accepts and reads the same; and whatever json.Marshal writes of an entry,
// the fast path reads exactly or leaves to the fallback.
func FuzzDecodeCanonicalEntry(f *testing.F) {
	f.Add([]byte(`{"gen":"g","expires":"2099-01-01T00:00:00Z","user":"u","apiVersion":"v","status":{"token":"t"}}`), "g", "u", "s", "c", `{"token":"t"}`, int64(4e9))
	f.Add([]byte(`{"gen":"g","expires":"2099-01-01T00:00:00Z","command":"aws","inputs":"ab12","apiVersion":"v","status":{"token":"t"}}`), "g", "", "", "aws", `{"token":"t"}`, int64(4e9))
	f.Add([]byte(`{"gen":"g","expires":"2099-01-01T00:00:00.5+02:00","apiVersion":"v","status":{"a":[1,{"b":"}"}]}}`), "a<b", "é", "", "x\ny", `{"a":"\u2028"}`, int64(-1))
	f.Fuzz(func(t *testing.T, raw []byte, gen, user, server, command, status string, unix int64) {
		inputs := server + command
		if e, ok := decodeCanonicalEntry(raw); ok {
			var want entry
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("fast path accepted what json.Unmarshal rejects (%v): %q", err, raw)
			}
			if !sameEntry(e, want) {
				t.Fatalf("fast path read %+v, json.Unmarshal %+v, from %q", e, want, raw)
			}
		}
		if !json.Valid([]byte(status)) {
			return
		}
		e := entry{Gen: gen, Expires: time.Unix(unix%1e11, unix%1e9).UTC(), User: user, Server: server, Command: command, Inputs: inputs, APIVersion: user + gen, Status: json.RawMessage(status)}
		b, err := json.Marshal(e)
		if err != nil {
			return // e.g. a year json cannot write
		}
		var want entry
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if got, ok := decodeCanonicalEntry(b); ok && !sameEntry(got, want) {
			t.Fatalf("fast path read %+v, json.Unmarshal %+v, from %q", got, want, b)
		}
	})
}
