package injector

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// checkNativeContract holds InjectNative to its contract on any input,
// without client-go (pure and fast, the fuzz body): a second run changes
// nothing, Restore gives back the input byte for byte when the input held no
// wrapped user, and switching a file wrapped by Inject gives the same bytes
// as switching the original. It returns the result and whether the input
// was accepted.
func checkNativeContract(t *testing.T, x []byte) ([]byte, NativeReport, bool) {
	t.Helper()
	y, report, err := InjectNative(x, Options{}, Natives...)
	if err != nil {
		return nil, report, false
	}
	if again, _, err := InjectNative(y, Options{}, Natives...); err != nil || !bytes.Equal(again, y) {
		t.Fatalf("InjectNative is not idempotent (err %v)\ninput:\n%s\nonce:\n%s\ntwice:\n%s", err, x, y, again)
	}
	if same, err := Restore(x, Options{}); err == nil && bytes.Equal(same, x) {
		if back, err := Restore(y, Options{}); err != nil || !bytes.Equal(back, x) {
			t.Fatalf("restore(native(x)) != x (err %v)\ninput:\n%q\nnative:\n%q\nrestored:\n%q", err, x, y, back)
		}
	}
	if p, err := Inject(x, Options{}); err == nil {
		if z, _, err := InjectNative(p, Options{}, Natives...); err != nil || !bytes.Equal(z, y) {
			t.Fatalf("native(inject(x)) != native(x) (err %v)\ninput:\n%s\nnative:\n%s\nnative(inject):\n%s", err, x, y, z)
		}
	}
	return y, report, true
}

// sameButNative checks with kubectl's own loader that after differs from
// before only in the users switched to a native plugin, each with the args
// its plugin maps to and its env kept, and in the users Inject wraps.
func sameButNative(before, after *clientcmdapi.Config) error {
	for name, a := range after.AuthInfos {
		b := before.AuthInfos[name]
		if b == nil || a.Exec == nil || b.Exec == nil || len(a.Exec.Args) == 0 {
			continue
		}
		n, ok := nativeNamed(a.Exec.Args[0])
		if !ok {
			continue
		}
		plugin, args := b.Exec.Command, b.Exec.Args
		wrapped := IsCacheCommand(plugin)
		if wrapped {
			plugin, args = args[0], args[1:]
		}
		want, mine, err := n.mapArgs(plugin, args)
		if !mine || err != nil || !reflect.DeepEqual(a.Exec.Args, want) {
			return fmt.Errorf("user %q: %s args %q from %q %q (%v)", name, n.Command, a.Exec.Args, plugin, args, err)
		}
		if !IsCacheCommand(a.Exec.Command) {
			return fmt.Errorf("user %q: command %q", name, a.Exec.Command)
		}
		if !wrapped && (len(a.Exec.Env) < 2 || a.Exec.Env[0] != (clientcmdapi.ExecEnvVar{Name: execcred.UserEnv, Value: name}) || a.Exec.Env[1].Name != MarkerEnv) {
			return fmt.Errorf("user %q: env %v does not start with our entries", name, a.Exec.Env)
		}
		if !sameEnv(notOurs(a.Exec.Env), notOurs(b.Exec.Env)) {
			return fmt.Errorf("user %q: env %v, want our entries and %v", name, a.Exec.Env, b.Exec.Env)
		}
		// Put the plugin back: what remains must be a plain Inject's result.
		exec := *a.Exec
		exec.Command, exec.Args, exec.Env = b.Exec.Command, b.Exec.Args, b.Exec.Env
		if !wrapped {
			exec.Command = DefaultCommand
			exec.Args = append([]string{b.Exec.Command}, b.Exec.Args...)
			exec.Env = append([]clientcmdapi.ExecEnvVar{{Name: execcred.UserEnv, Value: name}}, b.Exec.Env...)
		}
		copied := *a
		copied.Exec = &exec
		after.AuthInfos[name] = &copied
	}
	return sameButWrapped(before, after)
}

// nativeNamed is the native plugin whose command is command.
func nativeNamed(command string) (Native, bool) {
	for _, n := range Natives {
		if n.Command == command {
			return n, true
		}
	}
	return Native{}, false
}

func notOurs(env []clientcmdapi.ExecEnvVar) []clientcmdapi.ExecEnvVar {
	var out []clientcmdapi.ExecEnvVar
	for _, e := range env {
		if e.Name != execcred.UserEnv && e.Name != MarkerEnv {
			out = append(out, e)
		}
	}
	return out
}

// TestNativeProperty runs every generated layout with EKS and kubelogin
// plugins through --native: each must be switched (or, where comments sit between its
// args, reported and wrapped as Inject does), and kubectl must read the
// result as only that change.
func TestNativeProperty(t *testing.T) {
	switched, skipped := 0, 0
	for _, x := range generatedNative() {
		y, report, ok := checkNativeContract(t, x)
		if !ok {
			_, _, err := InjectNative(x, Options{}, Natives...)
			t.Fatalf("InjectNative refused a generated kubeconfig: %v\n%s", err, x)
		}
		before, err := clientcmd.Load(x)
		if err != nil {
			t.Fatalf("generated kubeconfig does not load: %v\n%s", err, x)
		}
		after, err := clientcmd.Load(y)
		if err != nil {
			t.Fatalf("kubectl cannot read the result: %v\ninput:\n%s\nresult:\n%s", err, x, y)
		}
		if err := sameButNative(before, after); err != nil {
			t.Fatalf("%v\ninput:\n%s\nresult:\n%s", err, x, y)
		}
		switch {
		case len(report.Native) == 1 && len(report.Skipped) == 0:
			switched++
		case len(report.Native) == 0 && len(report.Skipped) == 1 && strings.Contains(report.Skipped[0].Reason, "comments"):
			skipped++
		default:
			t.Fatalf("report %+v for\n%s", report, x)
		}
	}
	if switched == 0 {
		t.Fatal("no generated input was switched: the property was never checked")
	}
	t.Logf("switched %d generated kubeconfigs; %d with comments between args kept their plugin", switched, skipped)
}

// generatedNative builds kubeconfigs like generated does, with the EKS and
// int128/kubelogin plugins' command lines in block and flow args.
func generatedNative() [][]byte {
	var out [][]byte
	plugins := []struct{ cmd, args string }{
		{"aws", "--region us-east-1 eks get-token --cluster-name demo --output json"},
		{"'/usr/local/bin/aws'", "eks get-token --cluster-id=0123 --role-arn arn:aws:iam::1:role/r --profile p"},
		{`"aws-iam-authenticator"`, "token -i demo -r arn:aws:iam::1:role/r"},
		{"eks-auth", "--cluster-name=demo"},
		{"kubectl", "oidc-login get-token --oidc-issuer-url=https://issuer.example --oidc-client-id=kube --oidc-extra-scope=email"},
		{"'kubectl-oidc_login'", "get-token --oidc-issuer-url https://issuer.example --oidc-client-id kube --grant-type device-code"},
		{`"/usr/local/bin/kubelogin"`, "get-token --oidc-client-id=kube --oidc-issuer-url=http://127.0.0.1:5556/dex --skip-open-browser"},
	}
	envForms := []string{"", "env:", "env: null", "env: []", "env: [{name: AWS_PROFILE, value: b}]", "env:\n%S- name: AWS_PROFILE\n%S  value: b"}
	for _, p := range plugins {
		words := strings.Fields(p.args)
		argsForms := []string{"args: [" + strings.Join(words, ", ") + "]", "args:\n%S- " + strings.Join(words, "\n%S- ")}
		for _, indent := range []string{"  ", "    "} {
			for _, seqIndent := range []string{"", "  "} {
				for _, args := range argsForms {
					for _, env := range envForms {
						for _, comments := range []bool{false, true} {
							for _, lb := range []string{"\n", "\r\n"} {
								out = append(out, kubeconfig(indent, seqIndent, p.cmd, args, env, comments, lb))
							}
						}
					}
				}
			}
		}
	}
	return out
}

// FuzzNativeEKS checks the contract of checkNativeContract on arbitrary
// bytes, from the golden inputs and generated layouts. Pure: no client-go.
// Run: go test ./pkg/injector -run '^$' -fuzz '^FuzzNativeEKS$'
func FuzzNativeEKS(f *testing.F) {
	addGoldenInputs(f)
	for i, x := range generatedNative() {
		if i%41 == 0 {
			f.Add(x)
		}
	}
	f.Fuzz(func(t *testing.T, x []byte) {
		checkNativeContract(t, x)
	})
}
