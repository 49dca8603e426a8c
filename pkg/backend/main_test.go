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

func TestMain(m *testing.M) {
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
