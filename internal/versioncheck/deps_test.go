package versioncheck

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// The notice must never come from kcc-cache or kcc-eks, which run on every
// kubectl call: only kcc-connect may link this package.
func TestOnlyKccConnectLinksIt(t *testing.T) {
	goTool := testbin.Require(t, "go")
	const self = "github.com/IvMisticos/kube-credential-cache/internal/versioncheck"
	cmds, err := exec.Command(goTool, "list", "../../cmd/...").Output()
	if err != nil {
		t.Fatal(err)
	}
	var checked int
	for _, cmd := range strings.Fields(string(cmds)) {
		deps, err := exec.Command(goTool, "list", "-deps", cmd).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", cmd, err)
		}
		links := strings.Contains("\n"+string(deps), "\n"+self+"\n")
		if strings.HasSuffix(cmd, "/kcc-connect") {
			if !links { // the positive control: the lookup itself works
				t.Errorf("%s does not link %s", cmd, self)
			}
			continue
		}
		checked++
		if links {
			t.Errorf("%s links %s", cmd, self)
		}
	}
	if checked < 2 {
		t.Fatalf("checked %d commands, want at least kcc-cache and kcc-injector", checked)
	}
}
