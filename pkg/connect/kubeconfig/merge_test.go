package kubeconfig

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"k8s.io/client-go/tools/clientcmd"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// changes is what a `use` of two same-named clusters writes.
func changes() Changes {
	east := "arn:aws:eks:us-east-1:111111111111:cluster/demo"
	west := "arn:aws:eks:eu-west-1:222222222222:cluster/demo"
	user := func(arn, region, profile string) User {
		return User{Name: arn + "@" + profile, Exec: Exec{
			APIVersion: "client.authentication.k8s.io/v1beta1",
			Command:    "kcc-cache",
			Args:       []string{"kcc-eks", "--cluster-name", "demo", "--region", region},
			Env: []EnvVar{
				{Name: "KUBE_CREDENTIAL_CACHE_USER", Value: arn + "@" + profile},
				{Name: "AWS_PROFILE", Value: profile},
			},
		}}
	}
	return Changes{
		Clusters: []Cluster{
			{Name: east, Server: "https://AAAA.gr7.us-east-1.eks.amazonaws.com", CertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="},
			{Name: west, Server: "https://BBBB.gr7.eu-west-1.eks.amazonaws.com", CertificateAuthorityData: "LS0tLS1CRUdJTiBXRVNULS0tLS0K"},
		},
		Users: []User{user(east, "us-east-1", "dev"), user(west, "eu-west-1", "prod")},
		Contexts: []Context{
			{Name: "demo", Cluster: east, User: east + "@dev"},
			{Name: "demo@eu-west-1", Cluster: west, User: west + "@prod"},
		},
		CurrentContext: "demo",
	}
}

// injectorStyles are the real-world kubeconfig styles the injector is
// tested on (testdata/injector at the repository's root), named here so a
// new file there does not need a golden here.
var injectorStyles = []string{
	"aws-eks.input.yaml", "gcloud-gke.input.yaml", "azure-kubelogin.input.yaml",
	"kubectl-written.input.yaml", "hand-written.input.yaml", "crlf.input.yaml",
	"json.input.json", "no-exec.input.yaml", "already-injected.input.yaml",
}

// goldenInputs are this package's edge cases plus the injector's styles.
func goldenInputs(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.input.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range injectorStyles {
		files = append(files, filepath.Join("..", "..", "..", "testdata", "injector", f))
	}
	if len(files) < 18 {
		t.Fatalf("only %d golden inputs found", len(files))
	}
	return files
}

// TestMergeGolden merges the same entries into every style of kubeconfig.
// The result must match testdata/<name>.merged.<ext> (go test -update
// rewrites them; review the diff), keep every original line in order (but
// the values it updates), load in client-go with the new entries, and not
// change on a second merge.
func TestMergeGolden(t *testing.T) {
	ch := changes()
	for _, in := range goldenInputs(t) {
		base := filepath.Base(in)
		name := strings.TrimSuffix(base, filepath.Ext(base))
		name = strings.TrimSuffix(name, ".input")
		t.Run(name, func(t *testing.T) {
			src := readFile(t, in)
			out, err := Merge(src, ch)
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			golden := filepath.Join("testdata", name+".merged"+filepath.Ext(base))
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := readFile(t, golden); !bytes.Equal(out, want) {
				t.Errorf("merged file differs from %s\n--- got:\n%s", golden, out)
			}
			keepsBytes(t, src, out, ch)
			again, err := Merge(out, ch)
			if err != nil {
				t.Fatalf("second Merge: %v", err)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("second Merge changed the file:\n%s", again)
			}
			loadsInClientGo(t, out, ch)
		})
	}
}

// keepsBytes checks that Merge removes only what it may (a null or [] it
// replaces with a list, the old current-context, the old server or CA of a
// cluster it updates, a user or context of a name it writes) and that every
// other line of src is in out, in order.
func keepsBytes(t *testing.T, src, out []byte, ch Changes) {
	t.Helper()
	f, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if f.root == nil {
		if !bytes.HasPrefix(out, src) {
			t.Errorf("the result does not start with the original file")
		}
		return
	}
	m := &merger{f: f, st: f.style()}
	if err := m.merge(ch); err != nil {
		t.Fatal(err)
	}
	allowed := allowedRemovals(t, f, ch)
	var cut [][2]int
	for _, e := range m.edits {
		if e.Start == e.End {
			cut = append(cut, [2]int{e.Start, e.Start})
			continue
		}
		removed := string(src[e.Start:e.End])
		if !allowed[removed] && !nullish[strings.TrimSpace(removed)] {
			t.Errorf("Merge removes %q", removed)
		}
		cut = append(cut, [2]int{e.Start, e.End})
	}
	outLines := strings.SplitAfter(string(out), "\n")
	i, off := 0, 0
	for _, l := range strings.SplitAfter(string(src), "\n") {
		start, end := off, off+len(l)
		off = end
		touched := false
		for _, c := range cut {
			// An insertion at a line's start or end leaves the line whole.
			if c[0] < end && c[1] > start && !(c[0] == c[1] && (c[0] == start || c[0] == end)) {
				touched = true
			}
		}
		if touched || l == "" {
			continue
		}
		for i < len(outLines) && outLines[i] != l {
			i++
		}
		if i == len(outLines) {
			t.Errorf("original line %q is missing or out of order in the result", l)
			return
		}
		i++
	}
}

var nullish = map[string]bool{"": true, "null": true, "~": true, "[]": true, `""`: true}

// allowedRemovals is the text of the nodes Merge may replace.
func allowedRemovals(t *testing.T, f *File, ch Changes) map[string]bool {
	t.Helper()
	ok := map[string]bool{}
	text := func(n *yaml.Node) string {
		start, err := f.src.Offset(n)
		if err != nil {
			t.Fatal(err)
		}
		if l := f.lists[listUsers]; l.seq != nil && l.seq.Style&yaml.FlowStyle == 0 {
			if dash, err := f.src.ItemStart(l.seq, n); err == nil && containsNode(l.seq, n) {
				start = dash
			}
		}
		if l := f.lists[listContexts]; l.seq != nil && l.seq.Style&yaml.FlowStyle == 0 {
			if dash, err := f.src.ItemStart(l.seq, n); err == nil && containsNode(l.seq, n) {
				start = dash
			}
		}
		end, err := f.src.End(n)
		if err != nil {
			t.Fatal(err)
		}
		return string(f.src.Bytes()[start:end])
	}
	if f.curVal != nil && !ys.IsNull(f.curVal) {
		ok[text(f.curVal)] = true
	}
	for _, c := range ch.Clusters {
		if it := f.lists[listClusters].items[c.Name]; it != nil {
			_, cm, _ := ys.Lookup(it, "cluster")
			for _, k := range []string{"server", "certificate-authority-data"} {
				if _, v, _ := ys.Lookup(cm, k); v != nil {
					ok[text(v)] = true
				}
			}
		}
	}
	for _, u := range ch.Users {
		if it := f.lists[listUsers].items[u.Name]; it != nil {
			ok[text(it)] = true
		}
	}
	for _, c := range ch.Contexts {
		if it := f.lists[listContexts].items[c.Name]; it != nil {
			ok[text(it)] = true
		}
	}
	return ok
}

func containsNode(seq, n *yaml.Node) bool {
	for _, it := range seq.Content {
		if it == n {
			return true
		}
	}
	return false
}

func loadsInClientGo(t *testing.T, out []byte, ch Changes) {
	t.Helper()
	cfg, err := clientcmd.Load(out)
	if err != nil {
		t.Fatalf("client-go cannot load the result: %v", err)
	}
	for _, c := range ch.Clusters {
		got := cfg.Clusters[c.Name]
		if got == nil || got.Server != c.Server || string(got.CertificateAuthorityData) == "" {
			t.Errorf("client-go sees cluster %q as %+v", c.Name, got)
		}
	}
	for _, u := range ch.Users {
		got := cfg.AuthInfos[u.Name]
		if got == nil || got.Exec == nil || got.Exec.Command != u.Exec.Command || strings.Join(got.Exec.Args, " ") != strings.Join(u.Exec.Args, " ") || len(got.Exec.Env) != len(u.Exec.Env) {
			t.Errorf("client-go sees user %q as %+v", u.Name, got)
		}
	}
	for _, c := range ch.Contexts {
		got := cfg.Contexts[c.Name]
		if got == nil || got.Cluster != c.Cluster || got.AuthInfo != c.User {
			t.Errorf("client-go sees context %q as %+v", c.Name, got)
		}
	}
	if cfg.CurrentContext != ch.CurrentContext {
		t.Errorf("client-go sees current-context %q, want %q", cfg.CurrentContext, ch.CurrentContext)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMergeTokenUser: a user with a bearer token (Rancher's file kept as it
// is, --plaintext-token) is written as users[].user.token, read back by
// client-go, and a second merge changes nothing.
func TestMergeTokenUser(t *testing.T) {
	ch := Changes{
		Clusters: []Cluster{{Name: "r", Server: "https://rancher.example/k8s/clusters/c-1"}},
		Users:    []User{{Name: "r@", Token: "kubeconfig-u-1:abc"}},
		Contexts: []Context{{Name: "r", Cluster: "r", User: "r@"}},
	}
	for _, src := range []string{"", "# mine\napiVersion: v1\nkind: Config\nusers: []\n", `{"apiVersion":"v1","kind":"Config","users":[]}`} {
		out, err := Merge([]byte(src), ch)
		if err != nil {
			t.Fatalf("Merge(%q): %v", src, err)
		}
		cfg, err := clientcmd.Load(out)
		if err != nil {
			t.Fatalf("client-go: %v\n%s", err, out)
		}
		if u := cfg.AuthInfos["r@"]; u == nil || u.Token != "kubeconfig-u-1:abc" || u.Exec != nil {
			t.Errorf("user %+v in\n%s", u, out)
		}
		again, err := Merge(out, ch)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("second Merge: %v\n%s", err, again)
		}
	}
}
