package settings

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	in := "# team defaults\nprofile: dev\nregion: [eu-west-1, us-east-1]\nhistory-limit: 50\nno-version-check: true\ncontext-template: '{{.Name}}-{{.Region}}'\nempty: \"\"\n"
	s, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"profile": {"dev"}, "region": {"eu-west-1", "us-east-1"}, "history-limit": {"50"},
		"no-version-check": {"true"}, "context-template": {"{{.Name}}-{{.Region}}"}, "empty": {""},
	}
	if !reflect.DeepEqual(s.values, want) {
		t.Fatalf("parsed %v, want %v", s.values, want)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"syntax", "a: [", "line"},
		{"not a mapping", "- a\n- b\n", "want a mapping"},
		{"bad key", "Profile: x\n", "not a flag name"},
		{"key with space", "my key: x\n", "not a flag name"},
		{"duplicate", "a: 1\na: 2\n", "line 2"},
		{"null", "profile:\n", "no value"},
		{"tilde", "profile: ~\n", "no value"},
		{"nested", "profile: {a: b}\n", "value or a list"},
		{"empty list", "region: []\n", "empty list"},
		{"list of lists", "region: [[a]]\n", "plain value"},
		{"too large", strings.Repeat("#", maxFileSize+1), "larger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Parse = %v, want one line containing %q", err, tt.want)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	s := New()
	for k, v := range map[string][]string{
		"profile": {"dev"}, "region": {"eu-west-1", "us-east-1"}, "a": {""}, "b": {"null"}, "c": {"~"},
		"d": {"true"}, "e": {"# not a comment"}, "f": {"x: y"}, "g": {"multi\nline"}, "h": {"'"},
	} {
		if err := s.Set(k, v...); err != nil {
			t.Fatal(err)
		}
	}
	out := s.Marshal()
	again, err := Parse(out)
	if err != nil {
		t.Fatalf("Parse(Marshal) = %v\n%s", err, out)
	}
	if !reflect.DeepEqual(s, again) {
		t.Fatalf("round trip changed the settings:\n%v\n%v\n%s", s.values, again.values, out)
	}
	if !strings.HasPrefix(string(out), "#") || !strings.Contains(string(out), "profile: dev\n") {
		t.Fatalf("unexpected file:\n%s", out)
	}
}

func TestSetUnsetMerge(t *testing.T) {
	s := New()
	if err := s.Set("Bad Key", "x"); err == nil {
		t.Fatal("bad key accepted")
	}
	if err := s.Set("profile"); err == nil {
		t.Fatal("no value accepted")
	}
	s.Set("profile", "a")
	s.Set("region", "r1")
	o := New()
	o.Set("profile", "b")
	o.Set("kubeconfig", "/k")
	s.Merge(o)
	if got := strings.Join(s.Keys(), ","); got != "kubeconfig,profile,region" {
		t.Fatalf("keys %s", got)
	}
	if v, _ := s.Get("profile"); v[0] != "b" {
		t.Fatalf("merge kept %v, want the imported b", v)
	}
	if !s.Unset("profile") || s.Unset("profile") {
		t.Fatal("Unset did not report what it removed")
	}
}
