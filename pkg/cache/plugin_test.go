package cache

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the wrapped plugin: Proxy runs os.Args[0] with
// KCC_TEST_PLUGIN set, and TestMain then behaves as the plugin described by
// the KCC_TEST_* variables instead of running tests.
func TestMain(m *testing.M) {
	if os.Getenv("KCC_TEST_PLUGIN") == "1" {
		os.Exit(fakePlugin())
	}
	os.Exit(m.Run())
}

func fakePlugin() int {
	n := countRun(os.Getenv("KCC_TEST_COUNTER"))
	if d, err := time.ParseDuration(os.Getenv("KCC_TEST_SLEEP")); err == nil {
		time.Sleep(d)
	}
	token := "tok-" + strconv.Itoa(n)
	switch os.Getenv("KCC_TEST_MODE") {
	case "fail":
		fmt.Fprintln(os.Stderr, "plugin: access denied")
		return 7
	case "invalid":
		fmt.Print("this is not a credential\n")
		return 0
	case "stdin":
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		token = strings.TrimSpace(line)
	}
	expiry := ""
	if d, err := time.ParseDuration(os.Getenv("KCC_TEST_EXPIRES_IN")); err == nil {
		expiry = fmt.Sprintf(`,"expirationTimestamp":%q`, time.Now().Add(d).UTC().Format(time.RFC3339))
	}
	fmt.Printf(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},"status":{"token":%q%s}}`+"\n", token, expiry)
	return 0
}

// countRun appends one line to path and returns how many lines it has. An
// O_APPEND write of a few bytes is atomic, so concurrent runs count right.
func countRun(path string) int {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(f, os.Getpid())
	f.Close()
	return pluginRuns(path)
}

func pluginRuns(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\n")
}
