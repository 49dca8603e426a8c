package filestore

import (
	"fmt"
	"os"
	"testing"
)

// helperEnv makes the test binary act as one kcc-cache-like process of a
// multi-process test instead of running the tests.
const helperEnv = "KCC_BACKEND_HELPER"

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
