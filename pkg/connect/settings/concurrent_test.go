package settings

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const setterEnv = "KCC_SETTINGS_TEST_SETTER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(setterEnv); spec != "" {
		os.Exit(setter(spec))
	}
	os.Exit(m.Run())
}

// setter is one process of TestConcurrentSetters: it sets keys of its own,
// one locked update each, as `kcc-connect config set` does.
func setter(spec string) int {
	path, id, _ := strings.Cut(spec, "|")
	f := &File{Path: path}
	for i := range 10 {
		if err := f.Update(func(s *Settings) error { return s.Set(fmt.Sprintf("k%s-%d", id, i), id) }); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// Several `config set` at once each keep their key: no update reads the
// file while another is between its read and its rename.
func TestConcurrentSetters(t *testing.T) {
	const procs = 8
	path := filepath.Join(t.TempDir(), "config.yaml")
	cmds := make([]*exec.Cmd, procs)
	errs := make([]bytes.Buffer, procs)
	for p := range procs {
		cmds[p] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[p].Env = append(os.Environ(), fmt.Sprintf("%s=%s|%d", setterEnv, path, p))
		cmds[p].Stderr = &errs[p]
		if err := cmds[p].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for p, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("setter %d: %v: %s", p, err, errs[p].String())
		}
	}
	s, err := (&File{Path: path}).Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Keys()); n != procs*10 {
		t.Fatalf("%d keys after %d concurrent setters of 10 keys each, want %d", n, procs, procs*10)
	}
}
