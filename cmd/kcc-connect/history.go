package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

func newHistoryCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the entries use wrote, newest first",
		Long: "history lists the kubeconfig entries kcc-connect wrote, newest first, capped\n" +
			"at --history-limit. `kcc-connect to ID|ALIAS` writes one again; * marks the\n" +
			"one made current last. Names and paths only: no credential is kept.",
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			f, err := a.loadHistory(format)
			if err != nil {
				return err
			}
			if len(f.Entries) == 0 && format == formatTable {
				fmt.Fprintln(a.stderr, "kcc-connect: the history is empty: `kcc-connect use` adds to it")
				return nil
			}
			return printEntries(a, format, f.Entries, f.Current)
		},
	}
	addOutputFlag(cmd.Flags(), &format)
	return cmd
}

func printEntries(a *app, format string, entries []history.Entry, current string) error {
	header := []string{"ID", "ALIAS", "CONTEXT", "PROFILE", "REGION", "KUBECONFIG", "LAST USED"}
	rows := make([][]string, len(entries))
	for i, e := range entries {
		id := e.ID
		if id == current {
			id += "*"
		}
		rows[i] = []string{id, orDash(e.Alias), e.Context, orDash(e.Profile), orDash(e.Region), e.Kubeconfig, e.LastUsed.Local().Format("2006-01-02 15:04")}
	}
	return printList(a.stdout, format, entries, len(entries), header, rows)
}

// loadHistory reads the history for a listing in format (checked first).
func (a *app) loadHistory(format string) (*history.File, error) {
	if err := checkFormat(format); err != nil {
		return nil, err
	}
	store, err := a.historyStore()
	if err != nil {
		return nil, err
	}
	return store.Load()
}

func (a *app) historyStore() (*history.Store, error) {
	path := a.historyFile
	if path == "" {
		var err error
		if path, err = history.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return &history.Store{
		Path:  path,
		Limit: a.historyLimit,
		Now:   a.now,
		Warn:  func(err error) { cli.Warn(a.stderr, name, oneLine(err)) },
	}, nil
}

// Record keeps an entry use wrote in the history. One printed on stdout
// (-k -) is not kept: there is no file to go back to.
func (a *app) Record(_ context.Context, e connect.Entry) error {
	if e.Kubeconfig == "-" || e.Kubeconfig == "" {
		return nil
	}
	store, err := a.historyStore()
	if err != nil {
		return err
	}
	kubeconfig, err := filepath.Abs(e.Kubeconfig)
	if err != nil {
		return err
	}
	_, err = store.Record(history.Entry{
		ClusterID:  e.Cluster.ID,
		Provider:   e.Cluster.Provider,
		Profile:    e.Cluster.Profile,
		Region:     e.Cluster.Region,
		RoleARN:    e.Cluster.RoleARN,
		Context:    e.ContextName,
		Kubeconfig: kubeconfig,
		Alias:      e.Alias,
	}, e.Current)
	return err
}
