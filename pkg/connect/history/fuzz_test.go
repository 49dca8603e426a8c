package history

import (
	"reflect"
	"testing"
)

// FuzzParse: the history file is the user's to edit, so Parse must never
// panic, and whatever it accepts must write back to a file it reads the
// same (else a later Update would silently change the history).
func FuzzParse(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("current: 0123abcd\nentries:\n  - id: 0123abcd\n    clusterId: arn:aws:eks:eu-west-1:1:cluster/a\n    alias: prod\n    lastUsed: 2026-01-02T03:04:05Z\n"))
	f.Add([]byte("entries:\n  - id: 0123abcd\n    clusterId: c\n  - id: 0123abce\n    clusterId: d\nprevious: 0123abce\n"))
	f.Add([]byte("entries: [{id: 0123abcd, clusterId: c, lastUsed: 2026-01-02T03:04:05.5+02:00}]"))
	f.Add([]byte("entries:\n  - &a {id: 0123abcd, clusterId: c}\n  - *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := Parse(data)
		if err != nil {
			return
		}
		out, err := h.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed history: %v", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(h)) = %v\n%s", err, out)
		}
		if !reflect.DeepEqual(h, again) {
			t.Fatalf("round trip changed the history:\n%#v\n%#v", h, again)
		}
	})
}
