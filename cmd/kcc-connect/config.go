package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Defaults for every flag, kept in the user's config directory",
		Long: "config keeps a default for any flag of any command (profile, region,\n" +
			"kubeconfig, context-template, history-limit, no-version-check, ...) in\n" +
			"config.yaml. A flag on the command line wins, then $KCC_CONNECT_<FLAG>\n" +
			"(upper case, dashes as underscores), then the file, then the built-in default.",
		Example: "  kcc-connect config set region eu-west-1 us-east-1\n" +
			"  kcc-connect config import https://example.com/team/kcc-connect.yaml",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	set := &cobra.Command{
		Use:   "set KEY VALUE...",
		Short: "Set a default (several values for a repeatable flag)",
		Args:  minArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			s := settings.New()
			if err := s.Set(args[0], args[1:]...); err != nil {
				return &cli.UsageError{Err: err}
			}
			return a.mergeSettings(cmd, s)
		},
	}
	unset := &cobra.Command{
		Use:   "unset KEY",
		Short: "Remove a default",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, ok := configKeys(cmd)[args[0]]; !ok {
				return unknownKey(args[0])
			}
			f, err := a.settingsFile()
			if err != nil {
				return err
			}
			return f.Update(func(s *settings.Settings) error {
				if !s.Unset(args[0]) {
					return fmt.Errorf("%s is not set in %s", args[0], f.Path)
				}
				return nil
			})
		},
	}
	get := &cobra.Command{
		Use:   "get KEY",
		Short: "Print a default from the config file, one value a line",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl, ok := configKeys(cmd)[args[0]]
			if !ok {
				return unknownKey(args[0])
			}
			f, err := a.settingsFile()
			if err != nil {
				return err
			}
			s, err := f.Load()
			if err != nil {
				return err
			}
			vals, ok := s.Get(args[0])
			if !ok {
				return fmt.Errorf("%s is not set in %s (built-in default: %s)", args[0], f.Path, fl.DefValue)
			}
			for _, v := range vals {
				fmt.Fprintln(a.stdout, v)
			}
			return nil
		},
	}
	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List every key with the value in force and where it comes from",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			return a.listSettings(cmd, format)
		},
	}
	addOutputFlag(list.Flags(), &format)
	imp := &cobra.Command{
		Use:   "import FILE|URL",
		Short: "Merge a team's defaults file from a path or an https:// URL",
		Long: "import merges a defaults file into the config file (its keys win). From a URL,\n" +
			"keys that write files, choose URLs or the IAM role\n" +
			"(" + strings.Join(askedAlways(), ", ") + ")\n" +
			"are shown and imported only when you answer y on a terminal; without a\n" +
			"terminal nothing is imported. A local file is your own choice and is\n" +
			"imported as it is.",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := settings.ReadSource(cmd.Context(), a.httpClient, args[0])
			if err != nil {
				return err
			}
			shown := settings.Redact(args[0])
			s, err := settings.Parse(data)
			if err != nil {
				return cli.Usagef("%s: %v", shown, err)
			}
			if err := settings.Check(s, configKeys(cmd)); err != nil {
				return &cli.UsageError{Err: err}
			}
			if settings.IsURL(args[0]) {
				if err := a.confirmRemote(shown, s); err != nil {
					return err
				}
			}
			if err := a.mergeSettings(cmd, s); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "imported %d default(s) from %s\n", len(s.Keys()), shown)
			return nil
		},
	}
	cmd.AddCommand(set, unset, get, list, imp)
	return cmd
}

// mergeSettings checks s against the flags of every command and writes it
// into the config file; nothing is written when one key or value is wrong.
func (a *app) mergeSettings(cmd *cobra.Command, s *settings.Settings) error {
	if err := settings.Check(s, configKeys(cmd)); err != nil {
		return &cli.UsageError{Err: err}
	}
	f, err := a.settingsFile()
	if err != nil {
		return err
	}
	return f.Update(func(cur *settings.Settings) error {
		cur.Merge(s)
		return nil
	})
}

// configKeys is every flag of every command that can take a default, by
// name. A flag name means the same thing on every command that has it.
func configKeys(cmd *cobra.Command) map[string]*pflag.Flag {
	keys := map[string]*pflag.Flag{}
	add := func(f *pflag.Flag) {
		if _, ok := keys[f.Name]; !ok && !noDefault(f.Name) {
			keys[f.Name] = f
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.PersistentFlags().VisitAll(add)
		c.LocalNonPersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			// cobra's own completion and help commands configure nothing.
			if !sub.Hidden && sub.Name() != "completion" && sub.Name() != "help" {
				walk(sub)
			}
		}
	}
	walk(cmd.Root())
	return keys
}

type settingRow struct {
	Key    string   `json:"key" yaml:"key"`
	Value  []string `json:"value" yaml:"value"`
	Source string   `json:"source" yaml:"source"`
}

func (a *app) listSettings(cmd *cobra.Command, format string) error {
	f, err := a.settingsFile()
	if err != nil {
		return err
	}
	s, err := f.Load()
	if err != nil {
		return err
	}
	keys := configKeys(cmd)
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var items []settingRow
	var rows [][]string
	for _, k := range names {
		r := settingRow{Key: k, Source: string(settings.FromDefault), Value: []string{keys[k].DefValue}}
		if v, ok := a.lookupEnv(settings.EnvName(envPrefix, k)); ok {
			r.Value, r.Source = []string{v}, "env "+settings.EnvName(envPrefix, k)
		} else if v, ok := s.Get(k); ok {
			r.Value, r.Source = v, string(settings.FromConfig)
		}
		items = append(items, r)
		rows = append(rows, []string{k, orDash(strings.Join(r.Value, ",")), r.Source})
	}
	fmt.Fprintf(a.stderr, "kcc-connect: config file %s\n", f.Path)
	return printList(a.stdout, format, items, len(items), []string{"KEY", "VALUE", "SOURCE"}, rows)
}

func unknownKey(k string) error {
	return cli.Usagef("unknown key %q (see kcc-connect config list)", k)
}

// minArgs is cobra.MinimumNArgs as a usage error.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return cli.Usagef("%s takes at least %d arguments, got %d (see %s --help)", cmd.CommandPath(), n, len(args), cmd.CommandPath())
		}
		return nil
	}
}
