package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
)

func proxy(ctx context.Context, cfg config, argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	info, err := cache.ParseExecInfo(os.Getenv(cache.ExecInfoEnv))
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	choice, err := openStore(cfg)
	if err != nil {
		return fail(stderr, exitUsage, err)
	}
	if choice.Warning != "" {
		fmt.Fprintf(stderr, "kcc-cache: %s\n", choice.Warning)
	}
	p := &cache.Proxy{
		Store:       choice.Store,
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
	if p.Debug {
		fmt.Fprintf(stderr, "kcc-cache: debug: backend %s (%s)\n", choice.Name, choice.Reason)
	}
	id := cache.NewIdentity(argv, os.LookupEnv, cfg.CacheKeyEnvList, info)
	err = p.Serve(ctx, id)
	var perr *cache.PluginError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &perr):
		return fail(stderr, perr.Code, err)
	default:
		return fail(stderr, exitFailure, err)
	}
}

func openStore(cfg config) (backend.Choice, error) {
	return backend.Open(backend.Options{Kind: cfg.Backend, File: cfg.File, Timeout: cfg.KeyringTimeout})
}
