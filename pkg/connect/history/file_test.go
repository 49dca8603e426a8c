package history

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// The history must never hold a secret: the only way to stop one reaching
// the file is to have no field for it. Adding a field fails here on purpose.
func TestEntryHasOnlyTheListedFields(t *testing.T) {
	want := []string{"id", "clusterId", "provider", "profile", "region", "roleArn", "context", "kubeconfig", "alias", "lastUsed"}
	typ := reflect.TypeFor[Entry]()
	var got []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		got = append(got, strings.Split(f.Tag.Get("yaml"), ",")[0])
		if j := strings.Split(f.Tag.Get("json"), ",")[0]; j != got[len(got)-1] {
			t.Errorf("field %s: json name %q differs from yaml name %q", f.Name, j, got[len(got)-1])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Entry fields %v, want exactly %v", got, want)
	}
	ft := reflect.TypeFor[File]()
	for i := range ft.NumField() {
		if n := ft.Field(i).Name; n != "Current" && n != "Previous" && n != "Entries" {
			t.Errorf("File has an unexpected field %s", n)
		}
	}
}

func TestParseRejects(t *testing.T) {
	good := "  - id: 0123abcd\n    clusterId: arn:c\n"
	tests := []struct{ name, in, want string }{
		{"not yaml", "entries: [", "did not find"},
		{"short id", "entries:\n  - id: abc\n    clusterId: c\n", "hex"},
		{"upper-case id", "entries:\n  - id: 0123ABCD\n    clusterId: c\n", "hex"},
		{"no cluster", "entries:\n  - id: 0123abcd\n", "no clusterId"},
		{"duplicate id", "entries:\n" + good + good, "twice"},
		{"bad alias", "entries:\n  - id: 0123abcd\n    clusterId: c\n    alias: -x\n", "alias"},
		{"duplicate alias", "entries:\n  - id: 0123abcd\n    clusterId: c\n    alias: a\n  - id: 0123abce\n    clusterId: c\n    alias: a\n", "twice"},
		{"dangling current", "current: 99999999\nentries:\n" + good, "not in the history"},
		{"bad time", "entries:\n  - id: 0123abcd\n    clusterId: c\n    lastUsed: yesterday\n", "cannot"},
		{"entries not a list", "entries: 3\n", "cannot"},
		{"too large", strings.Repeat("#", maxFileSize+1), "larger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	f := &File{}
	now := time.Date(2026, 3, 4, 5, 6, 7, 8, time.FixedZone("x", 3600))
	a := f.Upsert(Entry{ClusterID: "arn:aws:eks:eu-west-1:1:cluster/a", Provider: "eks", Profile: "p", Region: "eu-west-1", Context: "a", Kubeconfig: "/k", Alias: "prod"}, now)
	f.Upsert(Entry{ClusterID: "arn:aws:eks:eu-west-1:1:cluster/b", Provider: "eks", Context: "b", Kubeconfig: "/k"}, now.Add(time.Second))
	f.MakeCurrent(a.ID)
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal) = %v\n%s", err, data)
	}
	if !reflect.DeepEqual(f, g) {
		t.Fatalf("round trip changed the history:\n%+v\n%+v", f, g)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "\n", "# only a comment\n"} {
		f, err := Parse([]byte(in))
		if err != nil || len(f.Entries) != 0 {
			t.Errorf("Parse(%q) = %+v, %v; want an empty history", in, f, err)
		}
	}
}
