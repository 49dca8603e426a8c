package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

// Cluster names and the rest of what EKS answers reach the terminal as
// text wherever kcc-connect prints them (tables, JSON, use, alias): an
// escape sequence in them is shown, not obeyed.
func TestTextFromEKSIsShownNotObeyed(t *testing.T) {
	cfg := motoEnv(t)
	const name = "evil\x1b]2;OWNED\x07\x1b[2Jname"
	motoserver.CreateCluster(t, cfg, name)
	r := execApp(t, nil, "discover").wantOK(t)
	if !strings.Contains(r.stdout, `evil\x1b]2;OWNED\x07\x1b[2Jname`) || strings.ContainsAny(r.stdout, "\x1b\x07") {
		t.Fatalf("discover table %q", r.stdout)
	}
	// JSON escapes C0 itself, and C1 and bidi characters here; a parser
	// reads the same name.
	const c1 = "c1\u009b2J\u202eexe"
	motoserver.CreateCluster(t, cfg, c1)
	r = execApp(t, nil, "discover", "-o", "json").wantOK(t)
	var clusters []connect.Cluster
	if err := json.Unmarshal([]byte(r.stdout), &clusters); err != nil || len(clusters) != 2 || clusters[0].Name != c1 || clusters[1].Name != name {
		t.Fatalf("discover -o json: %v %q", err, r.stdout)
	}
	if strings.ContainsAny(r.stdout, "\x1b\x07\u009b\u202e") {
		t.Fatalf("discover -o json %q", r.stdout)
	}

	// use says what it wrote: the names come from the cluster's ARN.
	r = execApp(t, nil, "use", name, "-k", filepath.Join(t.TempDir(), "kubeconfig")).wantOK(t)
	if !strings.Contains(r.stdout, `cluster/evil\x1b]2;OWNED`) || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
		t.Fatalf("use: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	// The history keeps the context name; alias shows it, and history's
	// table.
	r = execApp(t, nil, "history", "-o", "json").wantOK(t)
	var entries []history.Entry
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil || len(entries) != 1 {
		t.Fatalf("history: %v %q", err, r.stdout)
	}
	for _, args := range [][]string{{"alias", "add", "evil", entries[0].ID}, {"history"}, {"alias", "ls"}, {"alias", "rm", "evil"}} {
		r = execApp(t, nil, args...).wantOK(t)
		if !strings.Contains(r.stdout, `evil\x1b]2;OWNED`) || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Fatalf("%s: stdout %q, stderr %q", strings.Join(args, " "), r.stdout, r.stderr)
		}
	}
}
