package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

func newHistoryCmd(x *extras) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the entries use wrote, newest first",
		Long: "history lists the kubeconfig entries kcc-connect wrote, newest first, capped\n" +
			"at --history-limit. `kcc-connect to ID|ALIAS` writes one again; * marks the\n" +
			"one made current last. Names and paths only: no credential is kept.",
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			store, err := x.historyStore()
			if err != nil {
				return err
			}
			f, err := store.Load()
			if err != nil {
				return err
			}
			if len(f.Entries) == 0 && format == formatTable {
				fmt.Fprintln(x.a.stderr, "kcc-connect: the history is empty: `kcc-connect use` adds to it")
				return nil
			}
			return printEntries(x, format, f.Entries, f.Current)
		},
	}
	addOutputFlag(cmd.Flags(), &format)
	return cmd
}

func printEntries(x *extras, format string, entries []history.Entry, current string) error {
	header := []string{"ID", "ALIAS", "CONTEXT", "PROFILE", "REGION", "KUBECONFIG", "LAST USED"}
	rows := make([][]string, len(entries))
	for i, e := range entries {
		id := e.ID
		if id == current {
			id += "*"
		}
		rows[i] = []string{id, orDash(e.Alias), e.Context, orDash(e.Profile), orDash(e.Region), e.Kubeconfig, e.LastUsed.Local().Format("2006-01-02 15:04")}
	}
	return printList(x.a.stdout, format, entries, len(entries), header, rows)
}
