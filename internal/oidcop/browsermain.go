package oidcop

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
)

// The environment of a browser process (BrowserMain), which tests give
// kcc-oidc as --browser-command.
const (
	// BrowserEnv marks a test binary started as the browser.
	BrowserEnv = "KCC_TEST_BROWSER"
	// BrowserUserEnv and BrowserPasswordEnv are who signs in (default User).
	BrowserUserEnv     = "KCC_TEST_BROWSER_USER"
	BrowserPasswordEnv = "KCC_TEST_BROWSER_PASSWORD"
	// BrowserDenyEnv=1 denies a device login instead of allowing it.
	BrowserDenyEnv = "KCC_TEST_BROWSER_DENY"
	// BrowserLogEnv names a file the browser appends one line to per run.
	BrowserLogEnv = "KCC_TEST_BROWSER_LOG"
)

// BrowserMain is a browser process: it opens the URL of its last argument
// and signs in (an authorization request) or approves the device code (a
// device verification URL with user_code), as a user would. It returns the
// exit code; what went wrong goes to stderr.
func BrowserMain(args []string, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "test browser: no URL")
		return 2
	}
	raw := args[len(args)-1]
	user, password := os.Getenv(BrowserUserEnv), os.Getenv(BrowserPasswordEnv)
	if user == "" {
		user, password = User, UserPassword
	}
	if log := os.Getenv(BrowserLogEnv); log != "" {
		if f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			fmt.Fprintln(f, "open")
			f.Close()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u, err := url.Parse(raw)
	if err != nil {
		fmt.Fprintf(stderr, "test browser: %v\n", err)
		return 2
	}
	b := NewBrowser()
	if code := u.Query().Get("user_code"); code != "" && strings.HasPrefix(u.Path, "/device") {
		base := *u
		base.RawQuery = ""
		err = b.Device(ctx, base.String(), code, user, password, os.Getenv(BrowserDenyEnv) != "1")
	} else {
		err = b.Login(ctx, raw, user, password)
	}
	if err != nil {
		fmt.Fprintf(stderr, "test browser: %v\n", err)
		return 1
	}
	return 0
}
