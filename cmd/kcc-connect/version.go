package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
)

func newVersionCmd(a *app) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version; --check asks for a newer release now",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			line := buildinfo.Line(name, version, commit, date)
			if !check {
				fmt.Fprintln(a.stdout, line)
				return nil
			}
			c, err := a.checker()
			if err != nil {
				return err
			}
			r, err := c.Check(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, line)
			if r.Newer {
				fmt.Fprintln(a.stdout, r.Notice(name))
			} else {
				fmt.Fprintf(a.stdout, "kcc-connect: the latest release is %s\n", r.Latest)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "ask the release feed now, whatever the daily bound")
	return cmd
}
