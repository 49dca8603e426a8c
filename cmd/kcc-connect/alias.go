package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

func newAliasCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alias",
		Short: "Name history entries, for `kcc-connect to ALIAS`",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var format string
	ls := &cobra.Command{
		Use:   "ls",
		Short: "List the aliases",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			f, err := a.loadHistory(format)
			if err != nil {
				return err
			}
			return printEntries(a, format, f.Aliased(), f.Current)
		},
	}
	addOutputFlag(ls.Flags(), &format)
	add := &cobra.Command{
		Use:   "add ALIAS ID",
		Short: "Give a history entry an alias (unique)",
		Args:  exactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			var e history.Entry
			err := a.updateHistory(func(f *history.File) (err error) {
				if e, err = f.SetAlias(args[0], args[1]); err != nil {
					return &cli.UsageError{Err: err}
				}
				return nil
			})
			if err == nil {
				fmt.Fprintf(a.stdout, "alias %s now names %s (%s)\n", e.Alias, e.ID, termtext.Clean(e.Context))
			}
			return err
		},
	}
	rm := &cobra.Command{
		Use:   "rm ALIAS",
		Short: "Remove an alias (the entry stays)",
		Args:  exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			var e history.Entry
			err := a.updateHistory(func(f *history.File) (err error) {
				if e, err = f.RemoveAlias(args[0]); err != nil {
					return &cli.UsageError{Err: err}
				}
				return nil
			})
			if err == nil {
				fmt.Fprintf(a.stdout, "alias %s removed from %s (%s)\n", args[0], e.ID, termtext.Clean(e.Context))
			}
			return err
		},
	}
	cmd.AddCommand(add, ls, rm)
	return cmd
}

func (a *app) updateHistory(change func(*history.File) error) error {
	store, err := a.historyStore()
	if err != nil {
		return err
	}
	return store.Update(change)
}

// exactArgs is cobra.ExactArgs as a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return cli.Usagef("%s takes %d argument(s), got %d (see %s --help)", cmd.CommandPath(), n, len(args), cmd.CommandPath())
		}
		return nil
	}
}
