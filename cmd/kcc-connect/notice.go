package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/internal/versioncheck"
)

// checker asks the configured feed about this build's version.
func (a *app) checker() (*versioncheck.Checker, error) {
	stamp, err := versioncheck.DefaultStampPath()
	if err != nil {
		return nil, err
	}
	return &versioncheck.Checker{
		URL:       a.versionURL,
		Current:   version,
		Client:    a.httpClient,
		StampPath: stamp,
		Now:       a.now,
	}, nil
}

// startNotice starts the daily new-version check beside the command, when
// a person can see the answer (stderr is a terminal) and it was not turned
// off. The version command checks on its own.
func (a *app) startNotice(cmd *cobra.Command) {
	// kcc-connect token runs under kubectl, for every fresh credential.
	if a.noVersionCheck || cmd.Name() == "version" || cmd.Name() == contract.ConnectToken || !a.terminal(a.stderr) {
		return
	}
	c, err := a.checker()
	if err != nil || !c.Due() {
		return
	}
	ch := make(chan string, 1)
	a.notice = ch
	ctx := cmd.Context()
	go func() {
		defer close(ch)
		r, _, err := c.Daily(ctx)
		if err != nil {
			a.log.Debug("version check failed", "err", err)
			return
		}
		if r.Newer {
			ch <- r.Notice(name)
		}
	}()
}

// finishNotice prints the notice once the check is back; the check gives up
// at its own bound (versioncheck.DefaultTimeout from its start).
func (a *app) finishNotice() {
	if a.notice == nil {
		return
	}
	if line, ok := <-a.notice; ok {
		fmt.Fprintln(a.stderr, line)
	}
}
