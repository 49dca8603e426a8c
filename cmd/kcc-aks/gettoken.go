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
	"github.com/IvMisticos/kube-credential-cache/pkg/akstoken"
	"github.com/IvMisticos/kube-credential-cache/pkg/akstoken/flags"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

func (w world) getToken(ctx context.Context, args []string) error {
	o, err := flags.Parse(args, w.lookupEnv)
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
	// A device code needs someone to read stderr; a browser sign-in needs
	// a desktop. kubectl's interactive says stdin is a terminal.
	canPrompt := info.Interactive || isTerminal(w.stderr)
	if o.Login == "interactive" {
		canPrompt = canPrompt && w.hasBrowser()
	}
	tok, err := akstoken.GetToken(ctx, o, akstoken.Env{Stderr: w.stderr, CanPrompt: canPrompt, Transport: w.transport})
	if err != nil {
		return err
	}
	status, err := json.Marshal(struct {
		Expiration string `json:"expirationTimestamp"`
		Token      string `json:"token"`
	}{tok.ExpiresOn.UTC().Format(time.RFC3339), tok.Token})
	if err != nil {
		return err
	}
	if _, err := w.stdout.Write(cache.Render(info.APIVersion, status)); err != nil {
		return fmt.Errorf("could not write the credential: %w", err)
	}
	return nil
}

// hasBrowser says whether a browser can be opened: the desktop of macOS or
// Windows, or a graphical session elsewhere.
func (w world) hasBrowser() bool {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return true
	}
	return w.getenv("DISPLAY") != "" || w.getenv("WAYLAND_DISPLAY") != ""
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
