package main

import "github.com/spf13/cobra"

// addExtraCommands registers the history, to, alias, config and version
// commands, and may set app.defaults and app.recorder.
func addExtraCommands(root *cobra.Command, a *app) {}
