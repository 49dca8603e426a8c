package injector

import (
	"reflect"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

// TestNativeOIDCArgs: which command lines are int128/kubelogin's get-token,
// what kcc-oidc line each becomes, and why the others stay on kubelogin.
func TestNativeOIDCArgs(t *testing.T) {
	const iss, cid = "--oidc-issuer-url=https://i.example", "--oidc-client-id=kube"
	base := []string{"kcc-oidc", "get-token", iss, cid}
	for _, tt := range []struct {
		name    string
		command string
		args    []string
		mine    bool
		want    []string // with mine and no error
		why     string   // the reason given, with mine
	}{
		{"kubectl plugin", "kubectl", []string{"oidc-login", "get-token", iss, cid}, true, base, ""},
		{"kubectl by path", "/usr/bin/kubectl", []string{"oidc-login", "get-token", iss, cid}, true, base, ""},
		{"krew name", "kubectl-oidc_login", []string{"get-token", iss, cid}, true, base, ""},
		{"krew name on Windows", `C:\krew\bin\kubectl-oidc_login.exe`, []string{"get-token", iss, cid}, true, base, ""},
		{"release binary", "kubelogin", []string{"get-token", iss, cid}, true, base, ""},
		{"two-word flags", "kubelogin", []string{"get-token", "--oidc-issuer-url", "https://i.example", "--oidc-client-id", "kube"}, true, base, ""},
		{"defaults dropped", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--grant-type=auto", "--listen-address=127.0.0.1:8000,127.0.0.1:18000",
			"--authentication-timeout-sec=180", "--token-cache-storage=disk"}, true, base, ""},
		{"every kept flag", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--oidc-client-secret=-s", "--oidc-extra-scope=email,groups",
			"--oidc-use-pkce", "--oidc-auth-request-extra-params=prompt=consent", "--grant-type=authcode-keyboard", "--username=alice",
			"--listen-address=127.0.0.1:0", "--skip-open-browser", "--browser-command=firefox", "--authentication-timeout-sec=60",
			"--certificate-authority=/ca.pem", "--certificate-authority-data=QUJD", "--insecure-skip-tls-verify"}, true,
			append(base[:4:4], "--oidc-client-secret=-s", "--oidc-extra-scope=email", "--oidc-extra-scope=groups", "--oidc-use-pkce",
				"--oidc-auth-request-extra-params=prompt=consent", "--grant-type=authcode-keyboard", "--username=alice",
				"--listen-address=127.0.0.1:0", "--skip-open-browser", "--browser-command=firefox", "--authentication-timeout-sec=60",
				"--certificate-authority=/ca.pem", "--certificate-authority-data=QUJD", "--insecure-skip-tls-verify"), ""},

		{"kubectl other command", "kubectl", []string{"get", "pods"}, false, nil, ""},
		{"kubelogin setup", "kubectl", []string{"oidc-login", "setup", iss, cid}, false, nil, ""},
		{"kubectl flag first", "kubectl", []string{"--v=1", "oidc-login", "get-token", iss, cid}, false, nil, ""},
		{"other program", "gke-gcloud-auth-plugin", []string{"get-token"}, false, nil, ""},
		{"kubelogin alone", "kubelogin", nil, false, nil, ""},

		{"azure kubelogin", "kubelogin", []string{"get-token", "--login", "azurecli", "--server-id", "6dae"}, true, nil,
			"kubelogin get-token with --login is Azure's kubelogin, not int128/kubelogin"},
		{"azure kubelogin with = ", "kubelogin", []string{"get-token", "--server-id=6dae", "--client-id=x"}, true, nil,
			"kubelogin get-token with --server-id is Azure's kubelogin"},
		{"kubelogin unclear", "kubelogin", []string{"get-token", cid}, true, nil,
			"kubelogin get-token without --oidc-issuer-url is not clearly int128/kubelogin"},
		{"unsupported kubelogin flag", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--oidc-redirect-url=http://localhost:8000"}, true, nil,
			"the kubelogin flag --oidc-redirect-url is not supported by kcc-oidc"},
		{"log level", "kubectl-oidc_login", []string{"get-token", iss, cid, "-v1"}, true, nil, "kcc-oidc would refuse this get-token line"},
		{"no client id", "kubectl", []string{"oidc-login", "get-token", iss}, true, nil, "--oidc-client-id is required"},
		{"plain http issuer", "kubectl", []string{"oidc-login", "get-token", "--oidc-issuer-url=http://i.example", cid}, true, nil,
			`--oidc-issuer-url "...": http is allowed only for a loopback host`},
		{"bad grant type, value hidden", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--grant-type=s3cr3t"}, true, nil,
			`--grant-type "...": want auto`},
		{"password", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--username=a", "--password=p"}, true, nil,
			"a --password in the kubeconfig"},
		{"force refresh", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--force-refresh"}, true, nil, "--force-refresh"},
		{"no token storage", "kubectl", []string{"oidc-login", "get-token", iss, cid, "--token-cache-storage=none"}, true, nil,
			"--token-cache-storage with a value other than disk or keyring"},
		{"empty listen list", "kubelogin", []string{"get-token", iss, cid, "--listen-address="}, true, nil, "cannot carry"},
		{"empty scope list", "kubelogin", []string{"get-token", iss, cid, "--oidc-extra-scope="}, true, base, ""},
		{"help", "kubectl", []string{"oidc-login", "get-token", "--help"}, true, nil, "kubelogin get-token --help"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, mine, err := nativeOIDCArgs(tt.command, tt.args)
			if mine != tt.mine {
				t.Fatalf("mine = %v, want %v (err %v)", mine, tt.mine, err)
			}
			switch {
			case tt.why != "":
				if err == nil || !strings.Contains(err.Error(), tt.why) {
					t.Fatalf("got %q, err %v; want a refusal holding %q", got, err, tt.why)
				}
				if strings.Contains(err.Error(), "s3cr3t") {
					t.Errorf("the reason shows a value: %v", err)
				}
			case err != nil:
				t.Fatalf("refused: %v", err)
			case !reflect.DeepEqual(got, tt.want):
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestRedactQuoted keeps flag names and hides values.
func TestRedactQuoted(t *testing.T) {
	for in, want := range map[string]string{
		`invalid argument "abc" for "--authentication-timeout-sec" flag`: `invalid argument "..." for "--authentication-timeout-sec" flag`,
		`unexpected argument "x"`:        `unexpected argument "..."`,
		`no quotes`:                      `no quotes`,
		`one "unterminated`:              `one "unterminated`,
		`--grant-type "a\"b": want auto`: `--grant-type "..."b": want auto`,
	} {
		if got := redactQuoted(in); got != want {
			t.Errorf("redactQuoted(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNativeOIDCReasonOneLine: a flag name with control bytes cannot break
// the one-line warning.
func TestNativeOIDCReasonOneLine(t *testing.T) {
	_, _, err := nativeOIDCArgs("kubelogin", []string{"get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k", "--x\n\x1b[2Jy"})
	if err == nil || strings.ContainsAny(err.Error(), "\n\x1b") || !strings.Contains(err.Error(), `--x \x1b[2Jy`) {
		t.Errorf("reason %q", err)
	}
}

// FuzzNativeOIDCArgs: on any command line the mapping is kcc-oidc's
// get-token with options that mean what kubelogin's did (kcc-oidc's parser
// reads both the same, password and force-refresh aside), or a refusal on
// one printable line.
// Run: go test ./pkg/injector -run '^$' -fuzz '^FuzzNativeOIDCArgs$'
func FuzzNativeOIDCArgs(f *testing.F) {
	f.Add("kubectl", "oidc-login\x00get-token\x00--oidc-issuer-url=https://i\x00--oidc-client-id=k")
	f.Add("kubectl-oidc_login", "get-token\x00--oidc-issuer-url\x00https://i\x00--oidc-client-id\x00k\x00--oidc-extra-scope=a,b\x00--grant-type=password\x00--username=u")
	f.Add("kubelogin", "get-token\x00--oidc-issuer-url=http://127.0.0.1:1/\x00--oidc-client-id=k\x00--listen-address=127.0.0.1:0\x00--oidc-auth-request-extra-params=a=b,c=d")
	f.Add("kubelogin", "get-token\x00--login\x00azurecli\x00--server-id\x00x")
	f.Fuzz(func(t *testing.T, command, joined string) {
		args := strings.Split(joined, "\x00")
		out, mine, err := nativeOIDCArgs(command, args)
		if !checkMapping(t, args, out, mine, err, 0) {
			return
		}
		if len(out) < 4 || out[0] != OIDCCommand || out[1] != "get-token" {
			t.Fatalf("mapping %q has the wrong shape", out)
		}
		flagArgs, _, _ := kubeloginGetToken(command, args)
		want, err1 := flags.Parse(flagArgs)
		got, err2 := flags.Parse(out[2:])
		if err1 != nil || err2 != nil || !reflect.DeepEqual(carried(got), carried(want)) {
			t.Fatalf("%q maps to %q: options\n%+v\nwant\n%+v (%v, %v)", args, out, got, want, err1, err2)
		}
	})
}
