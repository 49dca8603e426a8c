package settings

import (
	"reflect"
	"testing"
)

// FuzzParse: the defaults file is written by hand or fetched from a team's
// URL. Parse must not panic, and what it accepts must survive Marshal, which
// `config set` uses to write the file back.
func FuzzParse(f *testing.F) {
	f.Add([]byte("profile: dev\nregion: [eu-west-1, us-east-1]\nhistory-limit: 50\n"))
	f.Add([]byte("context-template: '{{.Name}}'\nno-version-check: true\nx: \"\"\ny: 'null'\n"))
	f.Add([]byte("a: |\n  multi\n  line\nb: &x v\nc: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			return
		}
		out := s.Marshal()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(s)) = %v\n%s", err, out)
		}
		if !reflect.DeepEqual(s.values, again.values) {
			t.Fatalf("round trip changed the settings:\n%q\n%q\n%s", s.values, again.values, out)
		}
	})
}
