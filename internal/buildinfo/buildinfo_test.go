package buildinfo

import "testing"

func TestLine(t *testing.T) {
	tests := []struct {
		version, commit, date, want string
	}{
		{"1.2.3", "abc123", "2026-11-23", "kcc-cache 1.2.3 (commit abc123, built 2026-11-23)"},
		{"1.2.3", "", "", "kcc-cache 1.2.3"},
		// A test binary has no module version ("(devel)"), so dev stays dev.
		{"dev", "", "", "kcc-cache dev"},
	}
	for _, tt := range tests {
		if got := Line("kcc-cache", tt.version, tt.commit, tt.date); got != tt.want {
			t.Errorf("Line(%q, %q, %q) = %q, want %q", tt.version, tt.commit, tt.date, got, tt.want)
		}
	}
}
