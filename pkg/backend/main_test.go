package backend

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// helperEnv makes the test binary act as one kcc-cache-like process of a
// multi-process test instead of running the tests.
const helperEnv = "KCC_BACKEND_HELPER"

// hangGuard is how long a test lets a call take before calling it hung. It
// is not a performance bound (the benchmarks measure those): only far above
// any timeout a call is meant to honour, so that a loaded machine never
// fails a test that a hang would.
const hangGuard = time.Minute

// argHelpers are the other roles of the test binary, by its first argument
// (the agent's, which a kcc-cache-like client starts by its command line).
var argHelpers = map[string]func() int{}

func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		if helper, ok := argHelpers[os.Args[1]]; ok {
			os.Exit(helper())
		}
	}
	if os.Getenv(helperEnv) == "get" {
		got, err := NewFile(os.Getenv("KCC_HELPER_FILE")).Get(os.Getenv("KCC_HELPER_KEY"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("label=%s\n", got.Label)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
