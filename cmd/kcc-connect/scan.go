package main

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
)

// addSelectionFlags adds the flags that choose where to look, shared by
// discover and use.
func addSelectionFlags(f *pflag.FlagSet, sel *connect.Selection) {
	f.StringSliceVar(&sel.Profiles, "profile", nil, "AWS `profile` to scan (repeatable; default: the default credential chain)")
	f.BoolVar(&sel.AllProfiles, "all-profiles", false, "scan every profile of the AWS config and credentials files")
	f.StringSliceVar(&sel.Regions, "region", nil, "`region` to scan (repeatable; default: each profile's region)")
	f.BoolVar(&sel.AllRegions, "all-regions", false, "scan every region the account has enabled")
}

// progressDelay is how long a scan runs before it shows a progress line.
const progressDelay = time.Second

// scan discovers the selection, showing progress on a terminal and one
// warning line per failed profile or region. It fails only when nothing
// answered.
func (a *app) scan(ctx context.Context, sel connect.Selection) ([]connect.Cluster, error) {
	if a.samlOn() {
		var err error
		if sel, err = a.samlLogin(ctx, sel); err != nil {
			return nil, err
		}
	}
	terminal := a.terminal(a.stderr)
	line := connect.NewProgressLine(a.stderr, terminal, progressDelay)
	stopTick := make(chan struct{})
	ticked := make(chan struct{})
	go func() {
		defer close(ticked)
		if !terminal {
			<-stopTick
			return
		}
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				line.Tick()
			case <-stopTick:
				return
			}
		}
	}()
	start := a.now()
	var last connect.Progress
	clusters, warnings, err := a.provider(func(p connect.Progress) {
		last = p // calls are serialised by the provider's lock
		line.Update(p)
	}).Discover(ctx, sel)
	close(stopTick)
	<-ticked
	line.Stop()
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		cli.Warn(a.stderr, name, oneLine(w))
	}
	a.log.Info("scan done", "clusters", len(clusters), "warnings", len(warnings), "duration", a.now().Sub(start).Round(time.Millisecond))
	if len(clusters) == 0 && len(warnings) > 0 && failedPairs(warnings) >= last.Total {
		if a.chosen == aks.Name {
			return nil, errors.New("no subscription answered (see the warnings above)")
		}
		return nil, errors.New("no profile or region answered (see the warnings above)")
	}
	return clusters, nil
}

// failedPairs counts the (profile, region) pairs that warned. A failed
// profile never counted towards the total.
func failedPairs(ws []connect.Warning) int {
	seen := map[[2]string]bool{}
	for _, w := range ws {
		if w.Region != "" {
			seen[[2]string{w.Profile, w.Region}] = true
		}
	}
	return len(seen)
}
