package injector

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// checkProperty holds Inject and Restore to their contract on any input:
// whatever Inject accepts, Restore gives back byte for byte, a second Inject
// changes nothing, and kubectl sees only the wrapped exec fields change. It
// returns whether Inject accepted the input, so callers can tell a vacuous
// run from a real one. kubectl's view is checked twice: through its YAML
// layer (kubectlView, fast) and, unless this is a fuzzing run, through
// clientcmd.Load itself, whose package init and scheme decoding would cut
// the fuzzer's rate from thousands of inputs a second to a few.
func checkProperty(t *testing.T, x []byte) bool {
	t.Helper()
	return checkContract(t, x) == nil
}

// checkContract is checkProperty returning Inject's error: nil when the
// input was accepted and checked.
func checkContract(t *testing.T, x []byte) error {
	t.Helper()
	y, err := Inject(x, Options{})
	if err != nil {
		return err
	}
	if again, err := Inject(y, Options{}); err != nil || !bytes.Equal(again, y) {
		t.Fatalf("Inject is not idempotent (err %v)\ninput:\n%s\nonce:\n%s\ntwice:\n%s", err, x, y, again)
	}
	// Restore unwraps every wrapped user, so the round trip is exact only
	// for inputs that held none.
	if same, err := Restore(x, Options{}); err == nil && bytes.Equal(same, x) {
		back, err := Restore(y, Options{})
		if err != nil || !bytes.Equal(back, x) {
			t.Fatalf("restore(inject(x)) != x (err %v)\ninput:\n%q\ninjected:\n%q\nrestored:\n%q", err, x, y, back)
		}
	}
	if before, err := kubectlView(x); err == nil { // else kubectl would not read it either
		after, err := kubectlView(y)
		if err != nil {
			t.Fatalf("kubectl cannot read the injected file: %v\ninput:\n%s\ninjected:\n%s", err, x, y)
		}
		if err := sameTreeButWrapped(before, after); err != nil {
			t.Fatalf("%v\ninput:\n%s\ninjected:\n%s", err, x, y)
		}
	}
	if !fuzzing() {
		checkClientcmd(t, x, y)
	}
	return nil
}

// checkClientcmd is the slow oracle: kubectl's own loader.
func checkClientcmd(t *testing.T, x, y []byte) {
	t.Helper()
	before, err := clientcmd.Load(x)
	if err != nil {
		return // kubectl would not read it either
	}
	after, err := clientcmd.Load(y)
	if err != nil {
		t.Fatalf("kubectl cannot read the injected file: %v\ninput:\n%s\ninjected:\n%s", err, x, y)
	}
	if err := sameButWrapped(before, after); err != nil {
		t.Fatalf("%v\ninput:\n%s\ninjected:\n%s", err, x, y)
	}
}

// fuzzing reports whether this is a fuzzing run (go test -fuzz), as opposed
// to plain go test, which runs the seed corpus through both oracles.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// sameButWrapped checks that after differs from before only in the command,
// args and env of exec users it wraps, and in the way Inject wraps them.
func sameButWrapped(before, after *clientcmdapi.Config) error {
	for name, a := range after.AuthInfos {
		b := before.AuthInfos[name]
		if b == nil || a.Exec == nil || b.Exec == nil || a.Exec.Command == b.Exec.Command {
			continue
		}
		if a.Exec.Command != DefaultCommand {
			return fmt.Errorf("user %q: command %q, want %q", name, a.Exec.Command, DefaultCommand)
		}
		if want := append([]string{b.Exec.Command}, b.Exec.Args...); !reflect.DeepEqual(a.Exec.Args, want) {
			return fmt.Errorf("user %q: args %q, want %q", name, a.Exec.Args, want)
		}
		n := 1
		if len(a.Exec.Env) > 1 && a.Exec.Env[1].Name == MarkerEnv {
			n = 2
		}
		if len(a.Exec.Env) < n || a.Exec.Env[0] != (clientcmdapi.ExecEnvVar{Name: execcred.UserEnv, Value: name}) {
			return fmt.Errorf("user %q: env %v does not start with %s=%s", name, a.Exec.Env, execcred.UserEnv, name)
		}
		if !sameEnv(a.Exec.Env[n:], b.Exec.Env) {
			return fmt.Errorf("user %q: env %v, want our entries then %v", name, a.Exec.Env, b.Exec.Env)
		}
		// Put the wrapped fields back; everything must then be equal.
		unwrapped := *a.Exec
		unwrapped.Command, unwrapped.Args, unwrapped.Env = b.Exec.Command, b.Exec.Args, b.Exec.Env
		copied := *a
		copied.Exec = &unwrapped
		after.AuthInfos[name] = &copied
	}
	if !reflect.DeepEqual(before, after) {
		return fmt.Errorf("kubectl reads more than the exec fields as changed:\nbefore %#v\nafter  %#v", before, after)
	}
	return nil
}

func sameEnv(a, b []clientcmdapi.ExecEnvVar) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// TestInjectRestoreProperty generates kubeconfigs in every combination of
// the styles seen in the wild and checks the contract on each.
func TestInjectRestoreProperty(t *testing.T) {
	accepted := 0
	for _, x := range generated() {
		if checkProperty(t, x) {
			accepted++
		} else {
			_, err := Inject(x, Options{})
			t.Errorf("Inject refused a generated kubeconfig: %v\n%s", err, x)
		}
	}
	if accepted == 0 {
		t.Fatal("no generated input was accepted: the property was never checked")
	}
	t.Logf("checked %d generated kubeconfigs", accepted)
}

// generated builds one kubeconfig per combination of indentation, sequence
// indentation, command quoting, args and env forms, comments and line breaks.
func generated() [][]byte {
	var out [][]byte
	commands := []string{"aws", "'aws'", `"aws"`}
	argsForms := []string{"", "args:", "args: null", "args: ~", "args: []", "args: [eks, get-token]", "args:\n%S- eks\n%S- get-token"}
	envForms := []string{"", "env:", "env: null", "env: []", "env: [{name: A, value: b}]", "env:\n%S- name: A\n%S  value: b"}
	for _, indent := range []string{"  ", "    "} {
		for _, seqIndent := range []string{"", "  "} {
			for _, cmd := range commands {
				for _, args := range argsForms {
					for _, env := range envForms {
						for _, comments := range []bool{false, true} {
							for _, lb := range []string{"\n", "\r\n"} {
								out = append(out, kubeconfig(indent, seqIndent, cmd, args, env, comments, lb))
							}
						}
					}
				}
			}
		}
	}
	return out
}

func kubeconfig(indent, seqIndent, cmd, args, env string, comments bool, lb string) []byte {
	in := func(n int) string { return strings.Repeat(indent, n) }
	comment := func(s string) string {
		if comments {
			return " # " + s
		}
		return ""
	}
	lines := []string{"apiVersion: v1", "kind: Config" + comment("kind"), "users:"}
	item := seqIndent + "-" + indent[1:] // "- " or "-   ", so keys line up
	lines = append(lines, item+"name: demo", seqIndent+indent+"user:", seqIndent+in(2)+"exec:")
	field := seqIndent + in(3)
	if comments {
		lines = append(lines, field+"# the plugin")
	}
	lines = append(lines, field+"apiVersion: client.authentication.k8s.io/v1beta1", field+"command: "+cmd+comment("cmd"))
	for _, f := range []string{args, env} {
		if f != "" {
			f = strings.ReplaceAll(f, "%S", field+seqIndent)
			lines = append(lines, field+strings.ReplaceAll(f, "\n", comment("item")+"\n")+comment("field"))
		}
	}
	lines = append(lines, field+"interactiveMode: Never", item+"name: token", seqIndent+indent+"user:", seqIndent+in(2)+"token: abc")
	return []byte(strings.Join(lines, lb) + lb)
}

// FuzzInjectRestore checks the contract on arbitrary bytes, starting from
// the golden inputs. Run: go test ./pkg/injector -run '^$' -fuzz
// '^FuzzInjectRestore$' (the body is pure: see checkProperty).
func FuzzInjectRestore(f *testing.F) {
	addGoldenInputs(f)
	// A sample of the generated styles gives the mutator accepted inputs to
	// start from; random bytes are rarely a kubeconfig.
	for i, x := range generated() {
		if i%97 == 0 {
			f.Add(x)
		}
	}
	f.Add([]byte("kind: Config\nusers:\n- name: x\n  user:\n    exec:\n      command: a\n"))
	f.Add([]byte("{kind: Config, users: [{name: x, user: {exec: {command: a}}}]}"))
	f.Fuzz(func(t *testing.T, x []byte) {
		checkProperty(t, x)
	})
}

// addGoldenInputs seeds f with the golden tests' input files.
func addGoldenInputs(f *testing.F) {
	f.Helper()
	inputs, err := filepath.Glob(filepath.Join(goldenDir, "*.input.*"))
	if err != nil || len(inputs) == 0 {
		f.Fatalf("no seed inputs in %s: %v", goldenDir, err)
	}
	for _, p := range inputs {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
