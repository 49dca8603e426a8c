package connect

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeProvider's users run "plugin --cluster NAME" with a PROFILE env.
type fakeProvider struct{}

func (fakeProvider) Name() string { return "fake" }
func (fakeProvider) Discover(context.Context, Selection) ([]Cluster, []Warning, error) {
	return nil, nil, nil
}
func (fakeProvider) Describe(_ context.Context, c Cluster) (Cluster, error) { return c, nil }
func (fakeProvider) Exec(c Cluster, _ string) (Exec, error) {
	return Exec{APIVersion: "v", Command: "plugin", Args: []string{"--cluster", c.Name}, Env: []EnvVar{{Name: "PROFILE", Value: c.Profile}}}, nil
}

type recorded struct{ entries []Entry }

func (r *recorded) Record(_ context.Context, e Entry) error {
	r.entries = append(r.entries, e)
	if e.ContextName == "fail" {
		return errors.New("disk full")
	}
	return nil
}

func TestUseWrapsInKccCache(t *testing.T) {
	c := eksCluster("demo", "111111111111", "us-east-1", "dev")
	var out bytes.Buffer
	entries, err := Use(context.Background(), fakeProvider{}, []Cluster{c}, UseOptions{Kubeconfig: Stdout, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	e := entries[0].Exec
	want := Exec{APIVersion: "v", Command: "kcc-cache", Args: []string{"plugin", "--cluster", "demo"},
		Env: []EnvVar{{Name: "KUBE_CREDENTIAL_CACHE_USER", Value: UserName(c)}, {Name: "PROFILE", Value: "dev"}}}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("exec %+v, want %+v", e, want)
	}
	entries, err = Use(context.Background(), fakeProvider{}, []Cluster{c}, UseOptions{Kubeconfig: Stdout, Out: &out, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := entries[0].Exec; e.Command != "plugin" || len(e.Env) != 1 {
		t.Errorf("--no-cache exec %+v", e)
	}
}

func TestUseRecordsAndWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "config")
	a := eksCluster("demo", "111111111111", "us-east-1", "dev")
	b := eksCluster("other", "111111111111", "us-east-1", "dev")
	r := &recorded{}
	entries, err := Use(context.Background(), fakeProvider{}, []Cluster{b, a}, UseOptions{Kubeconfig: path, Recorder: r, SetCurrent: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.entries) != 2 || r.entries[0].ContextName != "demo" || r.entries[0].Kubeconfig != path || r.entries[1].ClusterName != b.ID {
		t.Errorf("recorded %+v", r.entries)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(written), "current-context: demo\n") || len(entries) != 2 {
		t.Errorf("written:\n%s", written)
	}

	// A history failure is reported, the file is written all the same.
	path2 := filepath.Join(dir, "config2")
	_, err = Use(context.Background(), fakeProvider{}, []Cluster{a}, UseOptions{Kubeconfig: path2, Recorder: r, NameOptions: NameOptions{Alias: "fail"}})
	if !errors.Is(err, ErrRecord) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %v, want ErrRecord", err)
	}
	if _, err := os.Stat(path2); err != nil {
		t.Errorf("the kubeconfig was not written: %v", err)
	}
}

func TestUseRefusesAClusterWithoutEndpoint(t *testing.T) {
	c := eksCluster("demo", "111111111111", "us-east-1", "dev")
	c.Endpoint, c.Status = "", "CREATING"
	_, err := Use(context.Background(), fakeProvider{}, []Cluster{c}, UseOptions{Kubeconfig: Stdout, Out: &bytes.Buffer{}})
	if err == nil || !strings.Contains(err.Error(), "CREATING") {
		t.Errorf("error %v", err)
	}
}
