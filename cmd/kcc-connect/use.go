package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newUseCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "use [ID|NAME]...",
		Short: "Write kubeconfig entries for clusters",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not implemented yet")
		},
	}
}
