package secretservice

import (
	"strings"
	"testing"
)

func TestUntag(t *testing.T) {
	key := strings.Repeat("ab", 32)
	tests := []struct {
		name, secret, wantKey, wantBlob string
	}{
		{"tagged", "kcck " + key + "\nkcc1 x", key, "kcc1 x"},
		{"untagged", "kcc1 x\ny\nz", "", "kcc1 x\ny\nz"},
		{"no newline", "kcck " + key, "", "kcck " + key},
		{"bad key", "kcck ../x\nkcc1 x", "", "kcck ../x\nkcc1 x"},
		{"empty key", "kcck \nkcc1 x", "", "kcck \nkcc1 x"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotKey, gotBlob := Untag([]byte(tt.secret))
			if gotKey != tt.wantKey || string(gotBlob) != tt.wantBlob {
				t.Errorf("Untag(%q) = %q, %q; want %q, %q", tt.secret, gotKey, gotBlob, tt.wantKey, tt.wantBlob)
			}
		})
	}
	if k, b := Untag(Tag(key, []byte("blob"))); k != key || string(b) != "blob" {
		t.Errorf("round trip: %q, %q", k, b)
	}
}
