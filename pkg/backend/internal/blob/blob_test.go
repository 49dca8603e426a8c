package blob

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

func TestBlobRoundTrip(t *testing.T) {
	exp := time.Date(2031, 2, 3, 4, 5, 6, 789, time.UTC)
	tests := []struct {
		name      string
		rec       record.Record
		wantLabel string
		wantValue string
	}{
		{"plain", record.Record{Label: "alice @ https://k8s", Expires: exp, Value: []byte(`{"a":1}`)}, "alice @ https://k8s", `{"a":1}`},
		{"value is compacted", record.Record{Label: "x", Expires: exp, Value: []byte("{\n  \"a\": [1, 2]\n}")}, "x", `{"a":[1,2]}`},
		{"newlines in label cannot break the layout", record.Record{Label: "a\nb\r\nc", Expires: exp, Value: []byte(`{}`)}, "a b  c", `{}`},
		{"empty label", record.Record{Expires: exp, Value: []byte(`"v"`)}, "", `"v"`},
		{"zero expiry", record.Record{Label: "z", Value: []byte(`1`)}, "z", `1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode("k1", Encode(tt.rec))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got.Key != "k1" || got.Label != tt.wantLabel || string(got.Value) != tt.wantValue || !got.Expires.Equal(tt.rec.Expires) {
				t.Errorf("got %+v (value %s), want label %q value %s expires %v", got, got.Value, tt.wantLabel, tt.wantValue, tt.rec.Expires)
			}
		})
	}
}

func TestDecodeBlobRejectsForeignData(t *testing.T) {
	tests := map[string]string{
		"empty":          "",
		"someone else's": "hunter2",
		"no expiry line": "kcc1 2030-01-01T00:00:00Z",
		"no value":       "kcc1 2030-01-01T00:00:00Z\nlabel\n",
		"bad expiry":     "kcc1 tomorrow\nlabel\n{}",
	}
	for name, blob := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode("k", []byte(blob)); !errors.Is(err, ErrNotOurs) {
				t.Errorf("Decode(%q) error = %v, want ErrNotOurs", blob, err)
			}
		})
	}
}

func FuzzDecodeBlob(f *testing.F) {
	f.Add(Encode(record.Record{Label: "l", Expires: time.Unix(1e9, 0), Value: []byte(`{"x":"y"}`)}))
	f.Add([]byte("kcc1 \n\n"))
	f.Fuzz(func(t *testing.T, blob []byte) {
		rec, err := Decode("k", blob)
		if err != nil {
			return
		}
		// Whatever decodes must survive another round unchanged.
		again, err := Decode("k", Encode(rec))
		if err != nil || again.Label != rec.Label || !again.Expires.Equal(rec.Expires) {
			t.Fatalf("re-decode of %q: %+v, %v", blob, again, err)
		}
		if json := compact(rec.Value); !bytes.Equal(again.Value, json) {
			t.Fatalf("value changed: %q → %q", rec.Value, again.Value)
		}
	})
}
