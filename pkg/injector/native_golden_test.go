package injector

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestNativeGolden runs --native-eks on the golden inputs with EKS users.
// <name>.native.<ext> holds the expected result (go test -update rewrites
// it). Restore must give back the input byte for byte (for an input with
// wrapped users: what restoring the input gives), a second run must change
// nothing, and switching a file wrapped by plain Inject must give the same
// bytes as switching the original.
func TestNativeGolden(t *testing.T) {
	tests := []struct {
		name, ext string
		wrapped   bool     // the input holds wrapped users
		skipped   []string // EKS users left running their plugin
	}{
		{name: "aws-eks", ext: "yaml"},
		{name: "already-injected", ext: "yaml", wrapped: true},
		{name: "json", ext: "json"},
		{name: "eks-tools", ext: "yaml", skipped: []string{"proxied", "commented"}},
		{name: "eks-tools", ext: "json"},
		{name: "eks-crlf", ext: "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"."+tt.ext, func(t *testing.T) {
			path := func(kind string) string {
				return filepath.Join(goldenDir, tt.name+"."+kind+"."+tt.ext)
			}
			input := readFile(t, path("input"))
			native, report, err := InjectNativeEKS(input, Options{})
			if err != nil {
				t.Fatalf("InjectNativeEKS: %v", err)
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
				t.Error("no user runs kcc-eks")
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

			again, report2, err := InjectNativeEKS(native, Options{})
			if err != nil {
				t.Fatalf("second InjectNativeEKS: %v", err)
			}
			compare(t, "native(native(input))", native, again)
			if !reflect.DeepEqual(report2.Native, report.Native) {
				t.Errorf("second run: kcc-eks users %v, want %v", report2.Native, report.Native)
			}

			switched, _, err := InjectNativeEKS(readFile(t, path("injected")), Options{})
			if err != nil {
				t.Fatalf("InjectNativeEKS of the injected golden: %v", err)
			}
			compare(t, "native(inject(input)) vs native(input)", native, switched)
		})
	}
}

// TestNativeWithoutEKSUsers: on a file with no EKS user --native-eks is a
// plain Inject.
func TestNativeWithoutEKSUsers(t *testing.T) {
	for _, name := range []string{"gcloud-gke", "azure-kubelogin", "kubectl-written", "hand-written", "crlf", "no-exec"} {
		t.Run(name, func(t *testing.T) {
			path := func(kind string) string { return filepath.Join(goldenDir, name+"."+kind+".yaml") }
			got, report, err := InjectNativeEKS(readFile(t, path("input")), Options{})
			if err != nil {
				t.Fatalf("InjectNativeEKS: %v", err)
			}
			compare(t, "native vs injected", readFile(t, path("injected")), got)
			if len(report.Native)+len(report.Skipped) > 0 {
				t.Errorf("report %+v, want nothing", report)
			}
		})
	}
}
