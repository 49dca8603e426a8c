package cache

import (
	"testing"
	"time"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func zeroOr(t *testing.T, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return mustTime(t, s)
}
