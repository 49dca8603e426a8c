package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

// record adds an entry through the recorder use calls, as use would.
func record(t *testing.T, now time.Time, e connect.Entry) {
	t.Helper()
	a := newApp(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	a.now = func() time.Time { return now }
	root := newRootCmd(a)
	// What the root's pre-run does before use runs: the defaults from the
	// environment and the config file (history-limit, history-file).
	if err := root.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Apply(root); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(context.Background(), e); err != nil {
		t.Fatal(err)
	}
}

func useEntry(name, profile, kubeconfig string) connect.Entry {
	return connect.Entry{
		Cluster: connect.Cluster{
			ID: "arn:aws:eks:eu-west-1:111122223333:cluster/" + name, Provider: "eks", Name: name,
			Region: "eu-west-1", Profile: profile, RoleARN: "arn:aws:iam::111122223333:role/admin",
			Endpoint: "https://example.test", CertificateAuthority: "Q0EgZGF0YQ==",
		},
		ContextName: name, Kubeconfig: kubeconfig,
	}
}

func listHistory(t *testing.T) []history.Entry {
	t.Helper()
	r := execApp(t, nil, "history", "-o", "json").wantOK(t)
	var es []history.Entry
	if err := json.Unmarshal([]byte(r.stdout), &es); err != nil {
		t.Fatalf("history -o json: %v\n%s", err, r.stdout)
	}
	return es
}

func TestHistoryRecordsWhatUseWrote(t *testing.T) {
	env := newExtrasEnv(t)
	if r := execApp(t, nil, "history"); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "history is empty") {
		t.Fatalf("empty history: %+v", r)
	}
	kc := filepath.Join(t.TempDir(), "config")
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	record(t, t0, useEntry("web", "dev", kc))
	record(t, t0.Add(time.Minute), useEntry("api", "dev", kc))
	record(t, t0.Add(2*time.Minute), useEntry("web", "prod", kc))
	record(t, t0.Add(3*time.Minute), useEntry("web", "dev", kc))  // used again: moves up, same id
	record(t, t0.Add(4*time.Minute), useEntry("web", "dev", "-")) // printed on stdout: not kept

	es := listHistory(t)
	var order []string
	for _, e := range es {
		order = append(order, e.Context+"/"+e.Profile)
	}
	if strings.Join(order, " ") != "web/dev web/prod api/dev" {
		t.Fatalf("history order %v, want newest first", order)
	}
	want := history.Entry{
		ID: es[0].ID, ClusterID: "arn:aws:eks:eu-west-1:111122223333:cluster/web", Provider: "eks", Profile: "dev",
		Region: "eu-west-1", RoleARN: "arn:aws:iam::111122223333:role/admin", Context: "web", Kubeconfig: kc,
		LastUsed: t0.Add(3 * time.Minute),
	}
	if es[0] != want || len(es[0].ID) != 8 {
		t.Fatalf("entry %+v\nwant  %+v", es[0], want)
	}
	// The CA, the endpoint and anything else of the cluster stay out.
	data, _ := os.ReadFile(env.history)
	if strings.Contains(string(data), "Q0EgZGF0YQ") || strings.Contains(string(data), "example.test") {
		t.Fatalf("history holds more than its fields:\n%s", data)
	}

	table := execApp(t, nil, "history").wantOK(t).stdout
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID ") || !strings.HasPrefix(lines[1], es[0].ID+" ") {
		t.Fatalf("table:\n%s", table)
	}
	if y := execApp(t, nil, "history", "-o", "yaml").wantOK(t).stdout; !strings.Contains(y, "clusterId: arn:aws:eks:eu-west-1:111122223333:cluster/web") {
		t.Fatalf("yaml:\n%s", y)
	}
	execApp(t, nil, "history", "-o", "xml").wantError(t, 2, `unknown output format "xml"`)
	execApp(t, nil, "history", "extra").wantError(t, 2, "takes no arguments")
}

func TestHistoryLimit(t *testing.T) {
	newExtrasEnv(t)
	execApp(t, nil, "config", "set", "history-limit", "2").wantOK(t)
	kc := filepath.Join(t.TempDir(), "config")
	for i, name := range []string{"a", "b", "c"} {
		record(t, time.Unix(int64(i), 0), useEntry(name, "dev", kc))
	}
	if es := listHistory(t); len(es) != 2 || es[0].Context != "c" || es[1].Context != "b" {
		t.Fatalf("history %+v, want the newest 2", es)
	}
}

func TestHistoryCorruptFileWarnsOnce(t *testing.T) {
	env := newExtrasEnv(t)
	os.MkdirAll(filepath.Dir(env.history), 0o700)
	os.WriteFile(env.history, []byte("entries: [ {id: nope"), 0o600)
	r := execApp(t, nil, "history")
	if r.code != 0 || strings.Count(r.stderr, "warning:") != 1 || !strings.Contains(r.stderr, "will be replaced") {
		t.Fatalf("%+v", r)
	}
	record(t, time.Unix(0, 0), useEntry("a", "dev", filepath.Join(t.TempDir(), "k")))
	if r := execApp(t, nil, "history", "-o", "json"); r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, `"context": "a"`) {
		t.Fatalf("after the replacement: %+v", r)
	}
}

func TestAliasCommands(t *testing.T) {
	env := newExtrasEnv(t)
	kc := filepath.Join(t.TempDir(), "config")
	record(t, time.Unix(0, 0), useEntry("web", "dev", kc))
	record(t, time.Unix(1, 0), useEntry("api", "dev", kc))
	es := listHistory(t)
	api, web := es[0], es[1]

	if out := execApp(t, nil, "alias", "add", "prod-web", web.ID).wantOK(t).stdout; !strings.Contains(out, "alias prod-web now names "+web.ID) {
		t.Fatalf("alias add: %q", out)
	}
	execApp(t, nil, "alias", "add", "api", api.ID[:5]).wantOK(t) // a unique id prefix is enough
	r := execApp(t, nil, "alias", "ls", "-o", "json").wantOK(t)
	var aliased []history.Entry
	json.Unmarshal([]byte(r.stdout), &aliased)
	if len(aliased) != 2 || aliased[0].Alias != "api" || aliased[1].Alias != "prod-web" {
		t.Fatalf("alias ls: %+v", aliased)
	}
	if tbl := execApp(t, nil, "alias", "ls").wantOK(t).stdout; !strings.Contains(tbl, "prod-web") {
		t.Fatalf("alias ls table:\n%s", tbl)
	}

	before, _ := os.ReadFile(env.history)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"alias", "add", "prod-web", api.ID}, "already names entry " + web.ID},
		{[]string{"alias", "add", web.ID, api.ID}, "id of another entry"},
		{[]string{"alias", "add", "-x", api.ID}, "unknown shorthand flag"},
		{[]string{"alias", "add", "two words", api.ID}, "must be"},
		{[]string{"alias", "add", "x", "nope"}, `"nope" is neither an id nor an alias`},
		{[]string{"alias", "add", "x"}, "takes 2 argument(s), got 1"},
		{[]string{"alias", "rm", "nope"}, `no entry has the alias "nope"`},
		{[]string{"alias", "ls", "-o", "xml"}, "unknown output format"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			execApp(t, nil, tt.args...).wantError(t, 2, tt.want)
			unchanged(t, env.history, before)
		})
	}

	execApp(t, nil, "alias", "rm", "prod-web").wantOK(t)
	// Removed, the name is free for another entry; an entry has one alias.
	execApp(t, nil, "alias", "add", "prod-web", api.ID).wantOK(t)
	if es := listHistory(t); es[0].Alias != "prod-web" || es[1].Alias != "" {
		t.Fatalf("after moving the alias: %+v", es)
	}
}
