package history

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func entry(cluster string) Entry {
	return Entry{ClusterID: cluster, Provider: "eks", Profile: "dev", Region: "eu-west-1", Context: cluster, Kubeconfig: "/home/u/.kube/config"}
}

func TestUpsert(t *testing.T) {
	f := &File{}
	a := f.Upsert(entry("a"), t0)
	if !idPattern.MatchString(a.ID) || len(a.ID) != idLength {
		t.Fatalf("id %q, want %d hex digits", a.ID, idLength)
	}
	b := f.Upsert(entry("b"), t0.Add(time.Minute))
	if ids(f) != b.ID+","+a.ID {
		t.Fatalf("order %s, want newest first", ids(f))
	}

	// The same connection again: same id, moved to the front, new time,
	// alias kept when none is given.
	f.Entries[1].Alias = "prod"
	again := entry("a")
	again.Context = "renamed"
	a2 := f.Upsert(again, t0.Add(time.Hour))
	if a2.ID != a.ID || a2.Alias != "prod" || a2.Context != "renamed" || !a2.LastUsed.Equal(t0.Add(time.Hour)) {
		t.Fatalf("upsert gave %+v", a2)
	}
	if ids(f) != a.ID+","+b.ID {
		t.Fatalf("order %s after reuse, want %s first", ids(f), a.ID)
	}

	// Each part of the key makes a different connection.
	for _, change := range []func(*Entry){
		func(e *Entry) { e.Profile = "other" },
		func(e *Entry) { e.RoleARN = "arn:aws:iam::1:role/r" },
		func(e *Entry) { e.Kubeconfig = "/tmp/other" },
		func(e *Entry) { e.ClusterID = "c" },
	} {
		e := entry("a")
		change(&e)
		if got := f.Upsert(e, t0); got.ID == a.ID {
			t.Errorf("%+v got the id of a different connection", e)
		}
	}
	if len(f.Entries) != 6 {
		t.Fatalf("%d entries, want 6", len(f.Entries))
	}

	// An alias given again moves to the newest entry.
	e := entry("b")
	e.Alias = "prod"
	f.Upsert(e, t0)
	if got, _ := f.Find("prod"); got.ID != b.ID {
		t.Fatalf("alias prod names %s, want %s", got.ID, b.ID)
	}
	if len(f.Aliased()) != 1 {
		t.Fatalf("alias held twice: %+v", f.Aliased())
	}
}

func TestNewIDAvoidsClashes(t *testing.T) {
	f := &File{}
	d := digest(entry("a").key())
	f.Entries = []Entry{{ID: d[:8], ClusterID: "x"}, {ID: "aaaaaaaa", ClusterID: "y", Alias: d[:10]}}
	got := f.Upsert(entry("a"), t0)
	if got.ID != d[:12] {
		t.Fatalf("id %s, want %s (8 and 10 digits are taken)", got.ID, d[:12])
	}
}

func TestFind(t *testing.T) {
	f := &File{}
	a := f.Upsert(entry("a"), t0)
	b := f.Upsert(entry("b"), t0)
	f.Entries[0].Alias = "web"
	tests := []struct{ ref, want, err string }{
		{a.ID, a.ID, ""},
		{"web", b.ID, ""},
		{a.ID[:4], a.ID, ""},
		{a.ID[:3], "", "neither"},
		{"nope", "", "neither"},
		{"-", "", "no previous"},
	}
	for _, tt := range tests {
		got, err := f.Find(tt.ref)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrNotFound) {
				t.Errorf("Find(%q) = %v, want ErrNotFound containing %q", tt.ref, err, tt.err)
			}
			continue
		}
		if err != nil || got.ID != tt.want {
			t.Errorf("Find(%q) = %s, %v; want %s", tt.ref, got.ID, err, tt.want)
		}
	}
}

func TestFindAmbiguousPrefix(t *testing.T) {
	f := &File{Entries: []Entry{{ID: "abcd0001", ClusterID: "x"}, {ID: "abcd0002", ClusterID: "y"}}}
	if _, err := f.Find("abcd"); err == nil || !strings.Contains(err.Error(), "start of 2") {
		t.Fatalf("Find(abcd) = %v, want an ambiguity error", err)
	}
}

func TestMakeCurrentAndPrevious(t *testing.T) {
	f := &File{}
	a := f.Upsert(entry("a"), t0)
	b := f.Upsert(entry("b"), t0)
	f.MakeCurrent(a.ID)
	f.MakeCurrent(a.ID) // again: still no previous
	if _, err := f.Find("-"); err == nil {
		t.Fatal("a previous entry after making only one current")
	}
	f.MakeCurrent(b.ID)
	for i, want := range []string{a.ID, b.ID, a.ID} {
		prev, err := f.Find("-")
		if err != nil || prev.ID != want {
			t.Fatalf("step %d: Find(-) = %s, %v; want %s", i, prev.ID, err, want)
		}
		f.MakeCurrent(prev.ID) // what `to -` does: back and forth
	}
}

func TestTrim(t *testing.T) {
	f := &File{}
	var first Entry
	for i := range 5 {
		e := f.Upsert(entry(fmt.Sprint(i)), t0)
		if i == 0 {
			first = e
		}
	}
	f.MakeCurrent(first.ID)
	f.MakeCurrent(f.Entries[0].ID)
	f.Trim(3)
	if len(f.Entries) != 3 || f.Entries[0].ClusterID != "4" {
		t.Fatalf("trimmed to %s, want the newest 3", ids(f))
	}
	if f.Previous != "" {
		t.Fatalf("previous %s was trimmed away but is still named", f.Previous)
	}
	f2 := &File{}
	for i := range DefaultLimit + 10 {
		f2.Upsert(entry(fmt.Sprint(i)), t0)
	}
	f2.Trim(0)
	if len(f2.Entries) != DefaultLimit {
		t.Fatalf("%d entries with the default limit", len(f2.Entries))
	}
}

func TestAliases(t *testing.T) {
	f := &File{}
	a := f.Upsert(entry("a"), t0)
	b := f.Upsert(entry("b"), t0)
	if _, err := f.SetAlias("prod", a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.SetAlias("prod", a.ID); err != nil {
		t.Fatalf("setting the same alias again: %v", err)
	}
	for _, tt := range []struct{ alias, ref, want string }{
		{"prod", b.ID, "already names"},
		{a.ID, b.ID, "id of another"},
		{"-", b.ID, "must be"},
		{"has space", b.ID, "must be"},
		{"ok", "nope", "neither"},
	} {
		if _, err := f.SetAlias(tt.alias, tt.ref); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("SetAlias(%q, %q) = %v, want %q", tt.alias, tt.ref, err, tt.want)
		}
	}
	if _, err := f.RemoveAlias("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.RemoveAlias("prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removing a missing alias: %v", err)
	}
	if _, err := f.SetAlias("prod", b.ID); err != nil {
		t.Fatalf("alias free again: %v", err)
	}
}

func ids(f *File) string {
	var s []string
	for _, e := range f.Entries {
		s = append(s, e.ID)
	}
	return strings.Join(s, ",")
}
