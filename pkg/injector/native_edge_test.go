package injector

import (
	"bytes"
	"strings"
	"testing"
)

// TestNativeEdgeLayouts covers what the goldens do not: users wrapped in
// other ways, layouts that are reported instead of rewritten, and markers
// Restore must refuse.
func TestNativeEdgeLayouts(t *testing.T) {
	const head = "kind: Config\nusers:\n- name: a\n  user:\n    exec:\n"
	tests := []struct {
		name, input string
		want        string // a line the result must hold
		skipped     string // the reason the user is reported, if it is
	}{
		{
			name:  "wrapped by hand, user entry last",
			input: head + "      command: /opt/bin/kcc-cache\n      args: [aws, eks, get-token, --cluster-name, x]\n      env:\n      - name: A\n        value: b\n      - name: KUBE_CREDENTIAL_CACHE_USER\n        value: a\n",
			want:  "      - name: KUBE_CREDENTIAL_CACHE_USER\n        value: a\n      - name: KUBE_CREDENTIAL_CACHE_INJECTED\n        value: \"was=aws eks get-token --cluster-name x\"\n",
		},
		{
			name:  "wrapped by Inject, marker kept and completed",
			input: head + "      command: kcc-cache\n      args: [aws, eks, get-token, --cluster-name, x]\n      env: [{name: KUBE_CREDENTIAL_CACHE_USER, value: a}, {name: KUBE_CREDENTIAL_CACHE_INJECTED, value: env=null}]\n",
			want:  `{name: KUBE_CREDENTIAL_CACHE_INJECTED, value: "env=null,was=aws eks get-token --cluster-name x"}`,
		},
		{
			name:  "no line break at the end",
			input: head + "      command: aws\n      args:\n      - eks\n      - get-token\n      - --cluster-name\n      - x",
			want:  "      command: kcc-cache\n      env:\n",
		},
		{
			name:  "quoted items and a path",
			input: head + "      command: \"/usr/bin/aws\"\n      args: ['eks', \"get-token\", --cluster-name, 'my cluster']\n",
			want:  `      args: [kcc-eks, --cluster-name, "my cluster"]`,
		},
		{
			name:    "anchored item",
			input:   head + "      command: aws\n      args: [eks, get-token, --cluster-name, &c x]\n",
			want:    "      args: [aws, eks, get-token, --cluster-name, &c x]\n",
			skipped: "an args item that is not a plain string",
		},
		{
			name:    "uneven flow separators",
			input:   head + "      command: aws\n      args: [eks, get-token,--cluster-name, x]\n",
			want:    "      args: [aws, eks, get-token,--cluster-name, x]\n",
			skipped: "uneven spacing",
		},
		{
			name:    "items indented differently",
			input:   head + "      command: aws\n      args:\n      - eks\n      - get-token\n      -   --cluster-name\n      - x\n",
			want:    "      -   --cluster-name\n",
			skipped: "uneven spacing",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := []byte(tt.input)
			y, report, err := InjectNative(x, Options{}, Natives...)
			if err != nil {
				t.Fatalf("InjectNative: %v", err)
			}
			if !strings.Contains(string(y), tt.want) {
				t.Errorf("result lacks %q:\n%s", tt.want, y)
			}
			switch {
			case tt.skipped == "" && len(report.Skipped) > 0:
				t.Errorf("skipped %v", report.Skipped)
			case tt.skipped != "" && (len(report.Skipped) != 1 || !strings.Contains(report.Skipped[0].Reason, tt.skipped)):
				t.Errorf("skipped %v, want one saying %q", report.Skipped, tt.skipped)
			}
			// Restoring the result is restoring the input.
			want, err := Restore(x, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := Restore(y, Options{}); err != nil || !bytes.Equal(got, want) {
				t.Errorf("Restore: err %v\ngot  %q\nwant %q", err, got, want)
			}
		})
	}
}

// TestRestoreRefusesBadMarkers: a marker Inject could not have written is
// refused with its line, rather than pasting its text into the file.
func TestRestoreRefusesBadMarkers(t *testing.T) {
	const tmpl = "kind: Config\nusers:\n- name: a\n  user:\n    exec:\n      command: kcc-cache\n      args: [kcc-eks, --cluster-name, x]\n      env:\n      - name: KUBE_CREDENTIAL_CACHE_INJECTED\n        value: \"%s\"\n"
	tests := []struct{ marker, refused string }{
		{"was=aws", "need the command and its arguments"},
		{"was=aws eks%0Aevil: 1", "a line break"},
		{"was=aws %ZZ", "bad %-escape"},
		{"was=aws eks%", "bad %-escape"},
		{"was=aws  eks", "is empty"},
		{"was=aws {a: b}", "not one YAML scalar"},
		{"was=aws *x", "not one YAML scalar"},
		{"was=aws ~", "not one YAML scalar"},
	}
	for _, tt := range tests {
		t.Run(tt.marker, func(t *testing.T) {
			_, err := Restore([]byte(strings.Replace(tmpl, "%s", tt.marker, 1)), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.refused) || !strings.Contains(err.Error(), "line ") {
				t.Fatalf("err %v, want one saying %q with a line", err, tt.refused)
			}
		})
	}
}

// TestMarkerRoundTrip: any words survive String and parseMarker.
func TestMarkerRoundTrip(t *testing.T) {
	m := marker{env: formAbsent, was: []string{"aws", "'a, b'", `"100%"`, "é\t=x", "--opt=v"}}
	got, err := parseMarker(m.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.env != m.env || strings.Join(got.was, "\x00") != strings.Join(m.was, "\x00") {
		t.Errorf("%q read back as %+v", m.String(), got)
	}
	if strings.ContainsAny(m.String(), "\t\n") {
		t.Errorf("marker %q is not one readable line", m.String())
	}
}
