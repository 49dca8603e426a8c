package history

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	return &Store{Path: filepath.Join(t.TempDir(), "connect", "history.yaml"), Now: func() time.Time { return t0 }}
}

func TestRecordWritesPrivateFile(t *testing.T) {
	s := newStore(t)
	e, err := s.Record(entry("a"), true)
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 1 || f.Entries[0] != e || f.Current != e.ID {
		t.Fatalf("loaded %+v, want the recorded %+v as current", f, e)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(s.Path)
		dst, _ := os.Stat(filepath.Dir(s.Path))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Fatalf("modes file %v dir %v, want 0600 and 0700", st.Mode().Perm(), dst.Mode().Perm())
		}
	}
}

func TestRecordRespectsLimit(t *testing.T) {
	s := newStore(t)
	s.Limit = 2
	for i := range 4 {
		if _, err := s.Record(entry(fmt.Sprint(i)), false); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := s.Load()
	if len(f.Entries) != 2 || f.Entries[0].ClusterID != "3" || f.Entries[1].ClusterID != "2" {
		t.Fatalf("kept %+v, want the newest 2", f.Entries)
	}
	s.Limit = -1
	if _, err := s.Record(entry("x"), false); err == nil {
		t.Fatal("no error with a negative limit")
	}
}

func TestRecordRejectsBadAlias(t *testing.T) {
	s := newStore(t)
	a, _ := s.Record(entry("a"), false)
	before, _ := os.ReadFile(s.Path)
	for _, alias := range []string{"-", "two words", a.ID} {
		e := entry("b")
		e.Alias = alias
		if _, err := s.Record(e, false); err == nil {
			t.Errorf("alias %q accepted", alias)
		}
	}
	if after, _ := os.ReadFile(s.Path); !bytes.Equal(before, after) {
		t.Fatal("a refused record changed the file")
	}
}

func TestCorruptFileWarnsOnceAndIsReplaced(t *testing.T) {
	s := newStore(t)
	var warnings []string
	s.Warn = func(err error) { warnings = append(warnings, err.Error()) }
	os.MkdirAll(filepath.Dir(s.Path), 0o700)
	if err := os.WriteFile(s.Path, []byte("entries: [ {id: \x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := s.Record(entry("a"), false)
	if err != nil {
		t.Fatalf("Record on a corrupt file: %v", err)
	}
	if len(warnings) != 1 || strings.Contains(warnings[0], "\n") || !strings.Contains(warnings[0], "will be replaced") {
		t.Fatalf("warnings %q, want one line", warnings)
	}
	warnings = nil
	f, err := s.Load()
	if err != nil || len(f.Entries) != 1 || f.Entries[0].ID != e.ID || len(warnings) != 0 {
		t.Fatalf("after replacing: %+v, %v, warnings %q", f, err, warnings)
	}
}

// A file with keys that are not Entry fields (someone's hand edit, a future
// version) loses them on the next write: nothing but the listed fields is
// ever written back.
func TestUnknownKeysAreNotWrittenBack(t *testing.T) {
	s := newStore(t)
	os.MkdirAll(filepath.Dir(s.Path), 0o700)
	in := "entries:\n  - id: 0123abcd\n    clusterId: arn:c\n    token: k8s-aws-v1.SECRET\n    secretAccessKey: SECRET\n"
	if err := os.WriteFile(s.Path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(entry("a"), false); err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(s.Path)
	if bytes.Contains(out, []byte("SECRET")) || !bytes.Contains(out, []byte("0123abcd")) {
		t.Fatalf("history after a write:\n%s", out)
	}
}

func TestLoadMissingFile(t *testing.T) {
	f, err := newStore(t).Load()
	if err != nil || len(f.Entries) != 0 {
		t.Fatalf("Load of a missing file = %+v, %v", f, err)
	}
}

func TestUpdateFailureWritesNothing(t *testing.T) {
	s := newStore(t)
	s.Record(entry("a"), false)
	before, _ := os.ReadFile(s.Path)
	err := s.Update(func(f *File) error {
		f.Upsert(entry("b"), t0)
		return fmt.Errorf("boom")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if after, _ := os.ReadFile(s.Path); !bytes.Equal(before, after) {
		t.Fatal("a failed update changed the file")
	}
}

const writerEnv = "KCC_HISTORY_TEST_WRITER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(writerEnv); spec != "" {
		os.Exit(writer(spec))
	}
	os.Exit(m.Run())
}

// writer is one of the processes of TestConcurrentProcesses: it records n
// entries of its own, one Record (lock, read, write) each.
func writer(spec string) int {
	parts := strings.Split(spec, "|")
	n, _ := strconv.Atoi(parts[2])
	s := &Store{Path: parts[0], Limit: 1000}
	for i := range n {
		e := entry(fmt.Sprintf("arn:aws:eks:eu-west-1:1:cluster/w%s-%d", parts[1], i))
		if _, err := s.Record(e, i%2 == 0); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// Several kcc-connect writing at once must not lose each other's entries:
// each process re-executes this test binary as a writer.
func TestConcurrentProcesses(t *testing.T) {
	const procs, each = 12, 15
	path := filepath.Join(t.TempDir(), "history.yaml")
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*bytes.Buffer, procs)
	for p := range procs {
		cmds[p] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[p].Env = append(os.Environ(), fmt.Sprintf("%s=%s|%d|%d", writerEnv, path, p, each))
		outs[p] = &bytes.Buffer{}
		cmds[p].Stderr = outs[p]
		if err := cmds[p].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for p, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("writer %d: %v: %s", p, err, outs[p])
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(data)
	if err != nil {
		t.Fatalf("history after concurrent writers does not parse: %v", err)
	}
	seen := map[string]bool{}
	for _, e := range f.Entries {
		seen[e.ClusterID] = true
	}
	for p := range procs {
		for i := range each {
			if c := fmt.Sprintf("arn:aws:eks:eu-west-1:1:cluster/w%d-%d", p, i); !seen[c] {
				t.Errorf("entry %s was lost", c)
			}
		}
	}
	if len(f.Entries) != procs*each {
		t.Fatalf("%d entries, want %d", len(f.Entries), procs*each)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".history.yaml.tmp-*"))
	if len(left) > 0 {
		t.Fatalf("temp files left: %v", left)
	}
}
