package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"golang.org/x/term"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/gettoken"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/grant"
)

func (w world) getToken(ctx context.Context, args []string) error {
	o, err := flags.Parse(args)
	if err != nil {
		return err
	}
	if o.Help {
		printUsage(w.stdout)
		return nil
	}
	info, err := cache.ParseExecInfo(w.getenv(execcred.ExecInfoEnv))
	if err != nil {
		return &cli.UsageError{Err: err}
	}
	store, file, err := w.openStore()
	if err != nil {
		return err
	}
	env := gettoken.Env{Now: w.now, Store: store, Stdin: w.stdin, Stderr: w.stderr, Open: w.open, KubeconfigUser: w.getenv(execcred.UserEnv)}
	if debugOn(w.getenv(envDebug)) {
		env.Debugf = func(format string, args ...any) {
			fmt.Fprintf(w.stderr, "kcc-oidc: debug: "+format+"\n", args...)
		}
	}
	env.Lock = func(key string) (func(), error) { return lockKey(file, key, o.AuthTimeout+time.Minute) }
	if env.Open == nil {
		env.Open = grant.OpenBrowser(o.BrowserCommand)
	}
	// kubectl says whether the plugin may read stdin; run by hand, it may.
	env.CanAsk = w.getenv(execcred.ExecInfoEnv) == "" || info.Interactive
	env.CanShow = isTerminal(w.stderr) || (!o.SkipOpenBrowser && w.hasBrowser(o.BrowserCommand))
	if f, ok := w.stdin.(*os.File); ok && env.CanAsk && isTerminal(f) {
		env.Prompt = func(label string) (string, error) {
			fmt.Fprint(w.stderr, label)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(w.stderr)
			return string(b), err
		}
	}
	tok, err := gettoken.Run(ctx, o, env)
	if err != nil {
		return err
	}
	status, err := json.Marshal(struct {
		Expiration string `json:"expirationTimestamp"`
		Token      string `json:"token"`
	}{tok.Expiry.UTC().Format(time.RFC3339), tok.IDToken})
	if err != nil {
		return err
	}
	if _, err := w.stdout.Write(cache.Render(info.APIVersion, status)); err != nil {
		return fmt.Errorf("could not write the credential: %w", err)
	}
	return nil
}

// hasBrowser says whether a browser can be opened: a --browser-command, the
// desktop of macOS or Windows, or a graphical session on other systems.
func (w world) hasBrowser(command string) bool {
	switch {
	case command != "":
		return true
	case runtime.GOOS == "darwin" || runtime.GOOS == "windows":
		return true
	}
	return w.getenv("DISPLAY") != "" || w.getenv("WAYLAND_DISPLAY") != ""
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
