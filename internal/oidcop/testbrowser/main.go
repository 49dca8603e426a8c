// Command testbrowser is the browser of kcc-oidc's end-to-end tests, given
// as --browser-command: it signs in on the test provider's pages, or
// approves a device code, for the URL of its last argument (see
// oidcop.BrowserMain for its environment). Never shipped.
package main

import (
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
)

func main() {
	os.Exit(oidcop.BrowserMain(os.Args[1:], os.Stderr))
}
