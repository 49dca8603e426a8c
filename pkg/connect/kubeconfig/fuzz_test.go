package kubeconfig

import (
	"bytes"
	"os"
	"testing"
)

// FuzzMerge: on any input Merge either refuses or gives a file that parses,
// means the input plus the entries (Merge verifies that itself) and does
// not change when merged again.
func FuzzMerge(f *testing.F) {
	for _, p := range goldenInputs(f) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	// One entry of each kind keeps the body fast (every Merge decodes the
	// input and the result to check its meaning).
	all := changes()
	ch := Changes{Clusters: all.Clusters[:1], Users: all.Users[:1], Contexts: all.Contexts[:1], CurrentContext: all.CurrentContext}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Merge(src, ch)
		if err != nil {
			return
		}
		again, err := Merge(out, ch)
		if err != nil {
			t.Fatalf("the result of Merge does not merge again: %v\n%s", err, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("Merge is not idempotent:\nfirst:\n%s\nsecond:\n%s", out, again)
		}
	})
}

func TestMergeRefuses(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"not YAML", "clusters: [", "not YAML"},
		{"not a mapping", "- a\n- b\n", "not a mapping"},
		{"wrong kind", "kind: Pod\n", `kind is "Pod"`},
		{"two documents", "kind: Config\n---\nkind: Config\n", "more than one YAML document"},
		{"list not a list", "kind: Config\nclusters: {a: b}\n", "clusters is not a list"},
		{"duplicate entry", "kind: Config\nusers:\n- name: arn:aws:eks:us-east-1:111111111111:cluster/demo@dev\n- name: arn:aws:eks:us-east-1:111111111111:cluster/demo@dev\n", "more than one entry named"},
		{"duplicate key", "kind: Config\nusers: []\nusers: []\n", "defined twice"},
		{"binary", "\xff\xfe", "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge([]byte(tt.src), changes())
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
				t.Errorf("Merge error %v, want one with %q", err, tt.want)
			}
		})
	}
}

func TestNewLoads(t *testing.T) {
	out := New(changes())
	loadsInClientGo(t, out, changes())
	if again, err := Merge(out, changes()); err != nil || !bytes.Equal(again, out) {
		t.Errorf("merging into New's output changes it (%v):\n%s", err, again)
	}
}
