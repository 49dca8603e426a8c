package flags

import (
	"reflect"
	"testing"
)

// TestCommandRoundTrip: the builder's command line parses back to the same
// options (password aside), for defaults and for every flag set.
func TestCommandRoundTrip(t *testing.T) {
	for _, args := range [][]string{
		{"--oidc-issuer-url", "https://i.example/", "--oidc-client-id", "kube"},
		{"--oidc-issuer-url", "https://i.example/", "--oidc-client-id", "kube", "--username", "alice"},
		{"--oidc-issuer-url", "https://i.example/", "--oidc-client-id", "kube", "--oidc-client-secret", "-starts-with-dash",
			"--oidc-extra-scope", "email,groups", "--oidc-use-pkce", "--oidc-auth-request-extra-params", "prompt=consent,audience=k8s",
			"--grant-type", "device-code", "--username", "alice", "--listen-address", "127.0.0.1:0", "--skip-open-browser",
			"--browser-command", "firefox --new-window", "--authentication-timeout-sec", "60",
			"--certificate-authority", "/ca.pem", "--certificate-authority-data", "QUJD", "--insecure-skip-tls-verify"},
	} {
		orig, err := Parse(args)
		if err != nil {
			t.Fatal(err)
		}
		cmd := orig.Command()
		if cmd.Command() != OIDCCommand || cmd.Args()[0] != OIDCGetToken {
			t.Fatalf("command line %q", cmd.Args())
		}
		got, err := Parse(cmd.Args()[1:])
		if err != nil {
			t.Fatalf("%q: %v", cmd.Args(), err)
		}
		if !reflect.DeepEqual(got, orig) {
			t.Errorf("%q parses to\n%+v\nwant\n%+v", cmd.Args(), got, orig)
		}
	}
}

// TestCommandEveryField: a field added to OIDC but not to Args would be
// dropped from every kubeconfig entry written.
func TestCommandEveryField(t *testing.T) {
	var o OIDC
	v := reflect.ValueOf(&o).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("v")
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int:
			f.SetInt(1)
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"v"}))
		case reflect.Map:
			f.Set(reflect.ValueOf(map[string]string{"k": "v"}))
		default:
			t.Fatalf("field %s of kind %s: teach this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	if got := len(o.Args()) - 1; got != v.NumField() {
		t.Errorf("Args gives %d flags for %d fields set: %q", got, v.NumField(), o.Args())
	}
}
