package injector

import (
	"bytes"
	"strings"
	"testing"
)

// TestEdgeLayouts covers layouts the golden files do not: each must either
// round-trip exactly or be refused with a line number, never half edited.
func TestEdgeLayouts(t *testing.T) {
	const head = "kind: Config\nusers:\n- name: a\n  user:\n    exec:\n"
	tests := []struct {
		name, input string
		opts        Options
		want        string // a line the injected file must hold
		refused     string // when set, Inject must fail with this text
	}{
		{name: "last line without line break", input: head + "      command: aws", want: "      - aws\n"},
		{name: "command last, args first", input: head + "      args:\n      - x\n      command: aws", want: "      - aws\n      - x\n"},
		{name: "byte order mark", input: "\xEF\xBB\xBF" + head + "      command: aws\n", want: "      command: kcc-cache\n"},
		{name: "tab after colon and anchored args", input: head + "      command:\taws\n      args: &a [x]\n", want: "      args: &a [aws, x]\n"},
		{name: "comment between dash and item", input: head + "      command: aws\n      env:\n      - # first\n        name: X\n        value: y\n", want: "      - name: KUBE_CREDENTIAL_CACHE_USER\n"},
		{name: "flow exec", input: head + "      {command: aws}\n", want: "args: [aws]"},
		{name: "windows command path", input: head + "      command: aws\n", opts: Options{Command: `C:\kcc\kcc-cache.exe`}, want: `      command: "C:\\kcc\\kcc-cache.exe"` + "\n"},
		{name: "user name needing quotes", input: "kind: Config\nusers:\n- name: 'a: b'\n  user:\n    exec:\n      command: aws\n", want: `        value: "a: b"` + "\n"},
		{name: "block scalar command", input: head + "      command: >-\n        aws\n", refused: "line 6: a block scalar here is not supported"},
		{name: "multi-line quoted command", input: head + "      command: \"aws\n        cli\"\n", refused: "line 6: a multi-line quoted scalar"},
		{name: "aliased args", input: "kind: Config\nx: &a [b]\nusers:\n- name: a\n  user:\n    exec:\n      command: aws\n      args: *a\n", refused: "line 8: args is an alias"},
		{name: "merge key", input: head + "      <<: {command: aws}\n", refused: "merge keys"},
		{name: "args not a list", input: head + "      command: aws\n      args: --x\n", refused: "line 7: exec args is not a list"},
		{name: "duplicate command", input: head + "      command: aws\n      command: gcloud\n", refused: "command is defined twice"},
		{name: "two documents", input: head + "      command: aws\n---\nkind: Config\n", refused: "more than one YAML document"},
		{name: "no kind", input: "users: []\n", refused: "no kind: Config"},
		{name: "empty", input: "", refused: "empty"},
		{name: "not UTF-8", input: "kind: Config\n\xff\n", refused: "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, err := Inject([]byte(tt.input), tt.opts)
			if tt.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tt.refused) {
					t.Fatalf("Inject error %v, want one saying %q", err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatalf("Inject: %v", err)
			}
			if !strings.Contains(string(y), tt.want) {
				t.Errorf("injected file lacks %q:\n%s", tt.want, y)
			}
			back, err := Restore(y, tt.opts)
			if err != nil || !bytes.Equal(back, []byte(tt.input)) {
				t.Errorf("Restore: err %v, got\n%q\nwant\n%q", err, back, tt.input)
			}
		})
	}
}

// TestRestoreByHand unwraps users wrapped without Inject: there is no
// marker and the layout is the user's, so only the meaning is checked.
func TestRestoreByHand(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{
			name:  "user entry last",
			input: "kind: Config\nusers:\n- name: h\n  user:\n    exec:\n      command: /usr/local/bin/kcc-cache\n      args:\n      - aws\n      - eks\n      env:\n      - name: A\n        value: b\n      - name: KUBE_CREDENTIAL_CACHE_USER\n        value: h\n",
			want:  "kind: Config\nusers:\n- name: h\n  user:\n    exec:\n      command: aws\n      args:\n      - eks\n      env:\n      - name: A\n        value: b\n",
		},
		{
			name:  "windows path, flow, only items",
			input: "kind: Config\nusers:\n- name: h\n  user:\n    exec:\n      command: C:\\bin\\kcc-cache.exe\n      args: [aws]\n      env: [{name: KUBE_CREDENTIAL_CACHE_USER, value: h}]\n",
			want:  "kind: Config\nusers:\n- name: h\n  user:\n    exec:\n      command: aws\n      args: []\n      env: []\n",
		},
		{
			name:  "block args with one item",
			input: "kind: Config\nusers:\n- name: h\n  user:\n    exec:\n      command: kcc-cache\n      args:\n      - gke-gcloud-auth-plugin\n      provideClusterInfo: true\n",
			want:  "kind: Config\nusers:\n- name: h\n  user:\n    exec:\n      command: gke-gcloud-auth-plugin\n      args: []\n      provideClusterInfo: true\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Restore([]byte(tt.input), Options{})
			if err != nil {
				t.Fatalf("Restore: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
