package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/agent"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
)

func info(cfg config, stdout, stderr io.Writer) int {
	choice, err := openStore(cfg, stderr)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "version:\t%s\n", version)
	fmt.Fprintf(w, "backend:\t%s (%s)\n", choice.Name, choice.Reason)
	if choice.Warning != "" {
		fmt.Fprintf(w, "warning:\t%s\n", choice.Warning)
	}
	if status := agent.Status(); choice.Name == "keyring" && agentCommand(cfg) != nil && status != "" {
		fmt.Fprintf(w, "Secret Service agent:\t%s\n", status)
	}
	fmt.Fprintf(w, "entries dir (file backend):\t%s\n", filestore.EntriesDir(cfg.File))
	fmt.Fprintf(w, "lock and marker dir:\t%s\n", cfg.stateDir())
	if err := filestore.NewFile(cfg.File).Check(); err != nil {
		fmt.Fprintf(w, "warning:\t%v: nothing is cached (see docs/troubleshooting.md)\n", err)
	}
	fmt.Fprintf(w, "%s_FILE:\t%s\n", envPrefix, cfg.File)
	fmt.Fprintf(w, "%s_REFRESH_MARGIN:\t%s\n", envPrefix, cfg.RefreshMargin)
	fmt.Fprintf(w, "%s_DEFAULT_TTL:\t%s\n", envPrefix, cfg.DefaultTTL)
	fmt.Fprintf(w, "%s_NO_EXPIRY_THRESHOLD:\t%s\n", envPrefix, cfg.NoExpiryThreshold)
	fmt.Fprintf(w, "%s_CACHEKEY_ENV_LIST:\t%s\n", envPrefix, strings.Join(cfg.CacheKeyEnvList, ","))
	fmt.Fprintf(w, "%s_CACHEKEY_FILES:\t%s\n", envPrefix, strings.Join(cfg.CacheKeyFiles, ","))
	fmt.Fprintf(w, "%s_LOCK_TIMEOUT:\t%s\n", envPrefix, cfg.LockTimeout)
	fmt.Fprintf(w, "%s_HEAL_COOLDOWN:\t%s\n", envPrefix, cfg.HealCooldown)
	fmt.Fprintf(w, "%s_KEYRING_TIMEOUT:\t%s\n", envPrefix, cfg.KeyringTimeout)
	fmt.Fprintf(w, "%s_AGENT:\t%t\n", envPrefix, bool(cfg.Agent))
	fmt.Fprintf(w, "%s_AGENT_IDLE:\t%s\n", envPrefix, cfg.AgentIdle)
	fmt.Fprintf(w, "%s_DEBUG:\t%t\n", envPrefix, bool(cfg.Debug))
	if err := w.Flush(); err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	return 0
}

func list(cfg config, format string, stdout, stderr io.Writer) int {
	choice, err := openStore(cfg, stderr)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	entries, err := cache.List(choice.Store)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, fmt.Errorf("could not list cache: %w", err))
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if entries == nil {
			entries = []cache.Listing{}
		}
		if err := enc.Encode(entries); err != nil {
			return cli.Fail(stderr, name, cli.ExitFailure, err)
		}
		return 0
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "KEY\tUSER\tSERVER\tCOMMAND\tEXPIRES")
	now := time.Now()
	for _, e := range entries {
		// The server comes from the kubeconfig, which kcc-connect filled from
		// what EKS said: shown, not obeyed (internal/termtext).
		fmt.Fprintf(w, "%.12s\t%s\t%s\t%s\t%s\n", e.Key, termtext.Clean(dash(e.User)), termtext.Clean(dash(e.Server)), termtext.Clean(dash(e.Command)), expiresIn(e.Expires, now))
	}
	if err := w.Flush(); err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	return 0
}

func clearEntries(cfg config, key string, stdout, stderr io.Writer) int {
	choice, err := openStore(cfg, stderr)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	n, err := cache.Clear(choice.Store, key)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	fmt.Fprintf(stdout, "cleared %d cache entr%s\n", n, map[bool]string{true: "y", false: "ies"}[n == 1])
	return 0
}

func expiresIn(t, now time.Time) string {
	if !t.After(now) {
		return t.Format(time.RFC3339) + " (expired)"
	}
	return t.Format(time.RFC3339) + " (in " + t.Sub(now).Round(time.Second).String() + ")"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
