package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/agent"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache/inputs"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

func proxy(ctx context.Context, cfg config, argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	info, err := cache.ParseExecInfo(os.Getenv(execcred.ExecInfoEnv))
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	p := &cache.Proxy{
		Policy:      cfg.policy(),
		StateDir:    cfg.stateDir(),
		LockTimeout: cfg.LockTimeout,
		Stdin:       stdin,
		Stdout:      stdout,
		Stderr:      stderr,
		Now:         time.Now,
		Parent:      cache.ParentID,
		Debug:       bool(cfg.Debug),
	}
	// Lazy: a hit must not pay for checks only a miss needs (see
	// backend.LazyKeyring); what such a check finds is warned about then.
	choice, err := openStore(cfg, stderr, func(o *backend.Options) {
		o.Lazy, o.Warn = true, p.Warn
		o.Agent = agentCommand(cfg)
	})
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	p.Store = choice.Store
	if p.Debug {
		fmt.Fprintf(stderr, "kcc-cache: debug: backend %s (%s)\n", choice.Name, choice.Reason)
	}
	if choice.Warning != "" {
		p.Warn(choice.Warning)
	}
	id := cache.NewIdentity(argv, os.LookupEnv, cfg.CacheKeyEnvList, info)
	if in := inputs.ForPlugin(argv, os.LookupEnv, cfg.CacheKeyFiles); !in.Empty() {
		p.Fingerprint = in.Fingerprint
		if p.Debug {
			fmt.Fprintf(stderr, "kcc-cache: debug: identity inputs: %s\n", strings.Join(in.Describe(), "; "))
		}
	}
	err = p.Serve(ctx, id)
	var perr *cache.PluginError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &perr):
		return cli.Fail(stderr, name, perr.Code, err)
	default:
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
}

// openStore opens the configured backend; its debug notes (never secrets)
// go to stderr when debug output is on.
func openStore(cfg config, stderr io.Writer, set ...func(*backend.Options)) (backend.Choice, error) {
	opts := backend.Options{Kind: cfg.Backend, File: cfg.File, Timeout: cfg.KeyringTimeout}
	for _, f := range set {
		f(&opts)
	}
	if cfg.Debug {
		opts.Debugf = func(format string, args ...any) {
			fmt.Fprintf(stderr, "kcc-cache: debug: "+format+"\n", args...)
		}
	}
	return backend.Open(opts)
}

// agentCommand is how this binary runs the Secret Service agent, or nil
// when the agent is off (or this binary cannot be found again).
func agentCommand(cfg config) []string {
	// An agent that may not wait for a request would end as it starts.
	if !cfg.Agent || cfg.AgentIdle == 0 || cfg.Backend == "file" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return []string{exe, agentFlag}
}

// serveAgent runs the agent until it is idle for KUBE_CREDENTIAL_CACHE_AGENT_IDLE
// or its bus goes. Nobody reads its stderr (it is started detached); the
// message is for a user who runs it by hand.
func serveAgent(stderr io.Writer) int {
	cfg, err := parseConfig(os.LookupEnv)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, err)
	}
	err = agent.Serve(agent.Options{Timeout: cfg.KeyringTimeout, Idle: cfg.AgentIdle})
	if err != nil && !errors.Is(err, agent.ErrRunning) {
		return cli.Fail(stderr, name, cli.ExitFailure, err)
	}
	return 0
}
