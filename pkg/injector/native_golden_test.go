package injector

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestNativeGolden runs --native on the golden inputs with EKS or
// int128/kubelogin users.
// <name>.native.<ext> holds the expected result (go test -update rewrites
// it). Restore must give back the input byte for byte (for an input with
// wrapped users: what restoring the input gives), a second run must change
// nothing, and switching a file wrapped by plain Inject must give the same
// bytes as switching the original.
func TestNativeGolden(t *testing.T) {
	tests := []struct {
		name, ext string
		wrapped   bool     // the input holds wrapped users
		skipped   []string // users left running their plugin
	}{
		{name: "aws-eks", ext: "yaml"},
		{name: "already-injected", ext: "yaml", wrapped: true},
		{name: "json", ext: "json"},
		{name: "eks-tools", ext: "yaml", skipped: []string{"proxied", "commented"}},
		{name: "eks-tools", ext: "json"},
		{name: "eks-crlf", ext: "yaml"},
		{name: "kubelogin-setup", ext: "yaml", skipped: []string{"oidc-cache-dir"}},
		{name: "kconnect-oidc", ext: "yaml"},
		{name: "kubectl-written", ext: "yaml"},
		{name: "crlf", ext: "yaml"},
		{name: "azure-kubelogin", ext: "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.ext, func(t *testing.T) {
			path := func(kind string) string {
				return filepath.Join(goldenDir, tt.name+"."+kind+"."+tt.ext)
			}
			input := readFile(t, path("input"))
			native, report, err := InjectNative(input, Options{}, Natives...)
			if err != nil {
				t.Fatalf("InjectNative: %v", err)
			}
			if *update {
				writeFile(t, path("native"), native)
			}
			compare(t, "native", readFile(t, path("native")), native)
			var skipped []string
			for _, s := range report.Skipped {
				skipped = append(skipped, s.User)
			}
			if !reflect.DeepEqual(skipped, tt.skipped) {
				t.Errorf("skipped %v, want %v", report.Skipped, tt.skipped)
			}
			if len(report.Native) == 0 {
				t.Error("no user runs a native plugin")
			}

			restored, err := Restore(native, Options{})
			if err != nil {
				t.Fatalf("Restore: %v", err)
			}
			want := input
			if tt.wrapped {
				want = readFile(t, path("restored"))
			}
			compare(t, "restore(native(input)) vs input", want, restored)

			again, report2, err := InjectNative(native, Options{}, Natives...)
			if err != nil {
				t.Fatalf("second InjectNative: %v", err)
			}
			compare(t, "native(native(input))", native, again)
			if !reflect.DeepEqual(report2.Native, report.Native) {
				t.Errorf("second run: native users %v, want %v", report2.Native, report.Native)
			}

			switched, _, err := InjectNative(readFile(t, path("injected")), Options{}, Natives...)
			if err != nil {
				t.Fatalf("InjectNative of the injected golden: %v", err)
			}
			compare(t, "native(inject(input)) vs native(input)", native, switched)
		})
	}
}

// TestNativeWithoutReplaceable: on a file with no user a native plugin
// replaces, InjectNative is a plain Inject (and reports the kubelogin users
// that are not clearly int128's).
func TestNativeWithoutReplaceable(t *testing.T) {
	for _, tt := range []struct {
		name    string
		natives []Native
		skipped []string
	}{
		{"gcloud-gke", Natives, nil},
		{"azure-kubelogin", []Native{NativeEKS, NativeOIDC}, []string{
			`user "clusterUser_rg-demo_aks-demo", line 22: kubelogin get-token with --environment is Azure's kubelogin, not int128/kubelogin; it keeps running kubelogin`,
			`user "clusterUser_rg-demo_aks-demo-azurecli", line 46: kubelogin get-token with --login is Azure's kubelogin, not int128/kubelogin; it keeps running kubelogin`,
		}},
		{"azure-kubelogin", []Native{NativeEKS}, nil},
		{"kubectl-written", []Native{NativeEKS}, nil},
		{"hand-written", Natives, nil},
		{"crlf", []Native{NativeEKS}, nil},
		{"no-exec", Natives, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := func(kind string) string { return filepath.Join(goldenDir, tt.name+"."+kind+".yaml") }
			got, report, err := InjectNative(readFile(t, path("input")), Options{}, tt.natives...)
			if err != nil {
				t.Fatalf("InjectNative: %v", err)
			}
			compare(t, "native vs injected", readFile(t, path("injected")), got)
			var skipped []string
			for _, s := range report.Skipped {
				skipped = append(skipped, s.String())
			}
			if len(report.Native) > 0 || !reflect.DeepEqual(skipped, tt.skipped) {
				t.Errorf("report %+v, want no native user and skipped %q", report, tt.skipped)
			}
		})
	}
}
