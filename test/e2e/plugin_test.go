//go:build unix

package e2e

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The test plugin is this test binary run with KCC_E2E_PLUGIN=1. It reads its
// behaviour from the environment (kubectl's, passed on by kcc-cache):
const (
	envPlugin      = "KCC_E2E_PLUGIN"       // "1": act as the plugin
	envRuns        = "KCC_E2E_RUNS"         // file that gets one line per run (required)
	envToken       = "KCC_E2E_TOKEN"        // token prefix; the token is "<prefix>-<run number>"
	envTokenStdin  = "KCC_E2E_TOKEN_STDIN"  // "1": read one line from stdin and use it as the token
	envExpiresIn   = "KCC_E2E_EXPIRES_IN"   // Go duration from now; empty: no expirationTimestamp
	envCertFile    = "KCC_E2E_CERT_FILE"    // PEM client certificate to hand out (with envKeyFile)
	envKeyFile     = "KCC_E2E_KEY_FILE"     // PEM private key of that certificate
	envExit        = "KCC_E2E_EXIT"         // exit with this code instead of printing a credential
	envStderr      = "KCC_E2E_STDERR"       // message written to stderr
	envSleep       = "KCC_E2E_SLEEP"        // Go duration to sleep before answering
	envInvalid     = "KCC_E2E_INVALID"      // "1": print an ExecCredential without status
	envAnswerIn    = "KCC_E2E_ANSWER_IN"    // answer in this apiVersion ("v1", "v1beta1"), whatever was asked
	envExecInfo    = "KUBERNETES_EXEC_INFO" // set by client-go (or by the test)
	pluginNoRunErr = 97                     // exit code when the run could not be counted
)

// runPlugin is main() of the test plugin; it returns the exit code.
func runPlugin() int {
	n, err := countRun()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e-plugin: %v\n", err)
		return pluginNoRunErr
	}
	if msg := os.Getenv(envStderr); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	if d, err := time.ParseDuration(os.Getenv(envSleep)); err == nil {
		time.Sleep(d)
	}
	if code := os.Getenv(envExit); code != "" {
		c, err := strconv.Atoi(code)
		if err != nil {
			c = 99
		}
		return c
	}
	var info struct {
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal([]byte(os.Getenv(envExecInfo)), &info); err != nil || info.APIVersion == "" {
		fmt.Fprintf(os.Stderr, "e2e-plugin: no usable %s in the environment: %q\n", envExecInfo, os.Getenv(envExecInfo))
		return 98
	}
	if v := os.Getenv(envAnswerIn); v != "" {
		info.APIVersion = groupVersion(v)
	}
	cred := map[string]any{"kind": "ExecCredential", "apiVersion": info.APIVersion, "spec": map[string]any{}}
	if os.Getenv(envInvalid) == "1" {
		fmt.Println(mustJSON(cred))
		return 0
	}
	status := map[string]any{}
	if d, err := time.ParseDuration(os.Getenv(envExpiresIn)); err == nil {
		status["expirationTimestamp"] = time.Now().Add(d).UTC().Format(time.RFC3339)
	}
	switch {
	case os.Getenv(envCertFile) != "":
		cert, err1 := os.ReadFile(os.Getenv(envCertFile))
		key, err2 := os.ReadFile(os.Getenv(envKeyFile))
		if err1 != nil || err2 != nil {
			fmt.Fprintf(os.Stderr, "e2e-plugin: reading certificate: %v %v\n", err1, err2)
			return 96
		}
		status["clientCertificateData"] = string(cert)
		status["clientKeyData"] = string(key)
	case os.Getenv(envTokenStdin) == "1":
		fmt.Fprint(os.Stderr, "token: ")
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		line = strings.TrimSpace(line)
		if line == "" {
			fmt.Fprintf(os.Stderr, "e2e-plugin: no token on stdin: %v\n", err)
			return 95
		}
		status["token"] = line
	default:
		status["token"] = fmt.Sprintf("%s-%d", os.Getenv(envToken), n)
	}
	cred["status"] = status
	fmt.Println(mustJSON(cred))
	return 0
}

// countRun appends "<pid> <ppid>" to the runs file under an exclusive lock and
// returns the number of this run (1 for the first).
func countRun() (int, error) {
	path := os.Getenv(envRuns)
	if path == "" {
		return 0, fmt.Errorf("%s is not set", envRuns)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return 0, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := strings.Count(string(data), "\n") + 1
	_, err = fmt.Fprintf(f, "%d %d\n", os.Getpid(), os.Getppid())
	return n, err
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// b64 is the encoding kubeconfigs use for *-data fields.
func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
