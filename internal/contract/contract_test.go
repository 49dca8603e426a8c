package contract

import (
	"reflect"
	"testing"
)

func TestEKSArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    EKS
		want []string
	}{
		{"name only", EKS{ClusterName: "demo"}, []string{"kcc-eks", "--cluster-name", "demo"}},
		{"id", EKS{ClusterID: "abc", Region: "eu-west-1"}, []string{"kcc-eks", "--cluster-id", "abc", "--region", "eu-west-1"}},
		{"everything", EKS{ClusterName: "demo", Region: "r", Profile: "p", RoleARN: "arn:aws:iam::1:role/x", SessionName: "s", ExternalID: "e"},
			[]string{"kcc-eks", "--cluster-name", "demo", "--region", "r", "--role-arn", "arn:aws:iam::1:role/x", "--session-name", "s", "--external-id", "e", "--profile", "p"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Argv(tc.e); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEKSArgsEveryField: a field added to EKS but not to Args would be
// silently dropped from every kubeconfig written.
func TestEKSArgsEveryField(t *testing.T) {
	var e EKS
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		v.Field(i).SetString("v")
	}
	if got, want := len(e.Args()), 2*v.NumField(); got != want {
		t.Errorf("Args gives %d arguments for %d fields set: %q", got, v.NumField(), e.Args())
	}
}

// TestOIDCArgsEveryField: a field added to OIDC but not to Args would be
// dropped from every kubeconfig entry written.
func TestOIDCArgsEveryField(t *testing.T) {
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

func TestOIDCArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    OIDC
		want []string
	}{
		{"required only", OIDC{IssuerURL: "https://i.example/", ClientID: "kube"},
			[]string{"kcc-oidc", "get-token", "--oidc-issuer-url=https://i.example/", "--oidc-client-id=kube"}},
		{"params in key order, timeout, dash value", OIDC{IssuerURL: "https://i/", ClientID: "-k",
			ExtraParams: map[string]string{"prompt": "consent", "audience": "k8s", "b": "2"}, AuthTimeoutSec: 120},
			[]string{"kcc-oidc", "get-token", "--oidc-issuer-url=https://i/", "--oidc-client-id=-k",
				"--oidc-auth-request-extra-params=audience=k8s", "--oidc-auth-request-extra-params=b=2",
				"--oidc-auth-request-extra-params=prompt=consent", "--authentication-timeout-sec=120"}},
		{"flags", OIDC{IssuerURL: "https://i/", ClientID: "k", UsePKCE: true, SkipOpenBrowser: true, SkipTLSVerify: true},
			[]string{"kcc-oidc", "get-token", "--oidc-issuer-url=https://i/", "--oidc-client-id=k",
				"--oidc-use-pkce", "--skip-open-browser", "--insecure-skip-tls-verify"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Argv(tc.o); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestItoa(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 180: "180", -42: "-42", -9223372036854775808: "-9223372036854775808"} {
		if got := itoa(n); got != want {
			t.Errorf("itoa(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestAKSArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    AKS
		want []string
	}{
		{"as AKS writes it", AKS{Environment: "AzurePublicCloud", ServerID: AKSServerIDManaged, ClientID: "c", TenantID: "t", Login: AKSLoginDeviceCode},
			[]string{"kcc-aks", "get-token", "--environment", "AzurePublicCloud", "--server-id", AKSServerIDManaged, "--client-id", "c", "--tenant-id", "t", "--login", "devicecode"}},
		{"server only", AKS{ServerID: "s"}, []string{"kcc-aks", "get-token", "--server-id", "s"}},
		{"switches and files", AKS{ServerID: "s", Login: AKSLoginWorkloadIdentity, FederatedTokenFile: "/var/run/t", AuthorityHost: "https://login.example/", UseAzureRMEnvVars: true, Legacy: true},
			[]string{"kcc-aks", "get-token", "--server-id", "s", "--login", "workloadidentity", "--federated-token-file", "/var/run/t",
				"--authority-host", "https://login.example/", "--use-azurerm-env-vars", "--legacy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Argv(tc.a); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAKSArgsEveryField: a field added to AKS but not to Args would be
// dropped from every kubeconfig entry written.
func TestAKSArgsEveryField(t *testing.T) {
	var a AKS
	v := reflect.ValueOf(&a).Elem()
	flags := 0
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString("v")
			flags += 2
		case reflect.Bool:
			f.SetBool(true)
			flags++
		default:
			t.Fatalf("field %s of kind %s: teach this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	if got := len(a.Args()) - 1; got != flags {
		t.Errorf("Args gives %d words for %d expected: %q", got, flags, a.Args())
	}
}
