package grant

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
)

// OpenBrowser returns the Env.Open that runs command with the URL as its
// last argument (--browser-command, split on spaces), or the OS's opener.
// It does not wait for the command, nor end it: a --browser-command may be
// the browser itself, which outlives the login.
func OpenBrowser(command string) func(ctx context.Context, url string) error {
	return func(_ context.Context, url string) error {
		var argv []string
		switch {
		case command != "":
			argv = append(strings.Fields(command), url)
		case runtime.GOOS == "darwin":
			argv = []string{"open", url}
		case runtime.GOOS == "windows":
			argv = []string{"rundll32", "url.dll,FileProtocolHandler", url}
		default:
			argv = []string{"xdg-open", url}
		}
		cmd := exec.Command(argv[0], argv[1:]...)
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
}
