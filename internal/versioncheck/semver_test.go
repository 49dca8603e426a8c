package versioncheck

import "testing"

func TestNewer(t *testing.T) {
	tests := []struct {
		latest, current string
		want            bool
	}{
		{"v1.2.4", "1.2.3", true},
		{"v1.10.0", "v1.9.9", true},
		{"v2.0.0", "1.99.99", true},
		{"v1.2.3", "1.2.3", false},
		{"v1.2.3", "v1.2.4", false},
		{"v1.2.3", "1.2.3-rc.1", true},
		{"v1.2.3-rc.2", "1.2.3-rc.1", true},
		{"v1.2.3-rc.10", "1.2.3-rc.9", true},
		{"v1.2.3-rc.1", "1.2.3", false},
		{"v1.2.3-beta", "1.2.3-alpha", true},
		{"v1.2.3-alpha.1", "1.2.3-alpha", true},
		{"v1.2.3-alpha", "1.2.3-1", true},
		{"v1.2.3+build.5", "1.2.3", false},
		{"v1.2.4", "dev", false},
		{"latest", "1.0.0", false},
		{"v1.2", "1.0.0", false},
		{"v01.2.3", "1.0.0", false},
		{"v1.2.3-", "1.0.0", false},
	}
	for _, tt := range tests {
		if got := Newer(tt.latest, tt.current); got != tt.want {
			t.Errorf("Newer(%q, %q) = %v, want %v", tt.latest, tt.current, got, tt.want)
		}
	}
}
