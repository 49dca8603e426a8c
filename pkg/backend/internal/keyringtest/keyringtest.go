// Package keyringtest holds what the tests of the stores that talk to a real
// Secret Service share: skipping (or failing, in CI) without one, keys and
// records, secret-tool, and a private bus with a keyring of its own.
package keyringtest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// HangGuard is how long a test lets a call take before calling it hung. It
// is not a performance bound (the benchmarks measure those): only far above
// any timeout a call is meant to honour, so that a loaded machine never
// fails a test that a hang would.
const HangGuard = time.Minute

// Require skips the test, or fails it when KCC_REQUIRE_KEYRING=1 (CI),
// because a Secret Service or a tool the test needs is missing.
func Require(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("KCC_REQUIRE_KEYRING") == "1" {
		t.Fatalf("KCC_REQUIRE_KEYRING=1 but "+format, args...)
	}
	t.Skipf(format+" (run inside dbus-run-session with gnome-keyring unlocked; KCC_REQUIRE_KEYRING=1 makes this a failure)", args...)
}

// NewKey returns a key no other test or process uses, shaped like a digest.
func NewKey(t testing.TB) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// NewRecord is a record of key with a token of size bytes, valid for an hour.
func NewRecord(key, label string, size int) record.Record {
	return record.Record{
		Key:     key,
		Label:   label,
		Expires: time.Now().Add(time.Hour).UTC().Truncate(time.Second),
		Value:   []byte(`{"kind":"ExecCredential","status":{"token":"` + strings.Repeat("t", size) + `"}}`),
	}
}

// SameRecord fails the test unless got is want.
func SameRecord(t testing.TB, got, want record.Record) {
	t.Helper()
	if got.Key != want.Key || got.Label != want.Label || !got.Expires.Equal(want.Expires) || string(got.Value) != string(want.Value) {
		// Values are test tokens, but print only their sizes as a habit.
		t.Errorf("got record %.12s %q %v (%d bytes), want %.12s %q %v (%d bytes)",
			got.Key, got.Label, got.Expires, len(got.Value), want.Key, want.Label, want.Expires, len(want.Value))
	}
}
