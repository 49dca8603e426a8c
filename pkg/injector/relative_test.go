package injector

import (
	"strings"
	"testing"
)

func TestInjectRefusesRelativeCommandPaths(t *testing.T) {
	const tmpl = `apiVersion: v1
kind: Config
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: CMD
`
	tests := []struct {
		command string
		refused bool
	}{
		{"aws", false},
		{"/usr/local/bin/aws", false},
		{`C:\tools\aws.exe`, false},
		{"bin/plugin", true},
		{"./plugin", true},
		{"../tools/plugin", true},
		{`tools\plugin.exe`, true},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			src := strings.Replace(tmpl, "CMD", "'"+tt.command+"'", 1)
			_, err := Inject([]byte(src), Options{})
			if tt.refused {
				if err == nil || !strings.Contains(err.Error(), "relative path") || !strings.Contains(err.Error(), "line 8") {
					t.Fatalf("err = %v, want a refusal naming line 8", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
		})
	}
}
