// Command aksstandin runs the Entra ID stand-in (internal/azuretest) outside
// `go test`, for bench/aks.sh: it registers one service principal
// (client id and secret given as arguments), writes into DIR an
// environment file for kcc-aks (AZURE_ENVIRONMENT_FILEPATH), the
// stand-in's CA (for SSL_CERT_FILE) and a file "env" of shell assignments
// naming them and the tenant, and stops when its stdin closes.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
)

// tb is the part of testing.TB the stand-in uses: files go under dir,
// a failure ends the process, and cleanups run when stdin closes.
type tb struct {
	testing.TB
	dir      string
	n        int
	cleanups []func()
}

func (t *tb) Helper()                   {}
func (t *tb) Cleanup(f func())          { t.cleanups = append(t.cleanups, f) }
func (t *tb) Fatal(args ...any)         { fail(fmt.Sprint(args...)) }
func (t *tb) Fatalf(f string, a ...any) { fail(fmt.Sprintf(f, a...)) }
func (t *tb) TempDir() string {
	t.n++
	d := filepath.Join(t.dir, fmt.Sprint(t.n))
	if err := os.MkdirAll(d, 0o700); err != nil {
		fail(err.Error())
	}
	return d
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "aksstandin:", msg)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: aksstandin DIR CLIENT-ID SECRET")
		os.Exit(2)
	}
	t := &tb{dir: os.Args[1]}
	e := azuretest.StartEntra(t)
	e.AddClient(os.Args[2], os.Args[3])
	env := fmt.Sprintf("AZURE_ENVIRONMENT_FILEPATH=%q\nSSL_CERT_FILE=%q\nTENANT=%q\n", e.EnvironmentFile(t, ""), e.CAFile, e.Tenant)
	if err := os.WriteFile(filepath.Join(t.dir, "env"), []byte(env), 0o600); err != nil {
		fail(err.Error())
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
	fmt.Fprintf(os.Stderr, "aksstandin: served %d openid-configuration and %d token requests\n", e.Requests("openid-configuration"), e.TokenRequests())
}
