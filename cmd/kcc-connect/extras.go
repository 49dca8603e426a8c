package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/versioncheck"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
)

// envPrefix names the variables that give flags their defaults.
const envPrefix = "KCC_CONNECT_"

// extras holds the state of the history, to, alias, config and version
// commands and of the hooks they put into the root command.
type extras struct {
	a *app

	configFile   string
	historyFile  string
	historyLimit int
	versionURL   string

	// notice carries the new-version line, if any, from the check started
	// before the command to the end of the command.
	notice chan string
}

// addExtraCommands registers the history, to, alias, config and version
// commands, the flags that go with them, the defaults from the environment
// and config file (a.defaults), the history recorder (a.recorder), and the
// new-version notice around every command.
func addExtraCommands(root *cobra.Command, a *app) {
	x := &extras{a: a}
	f := root.PersistentFlags()
	f.StringVar(&x.configFile, "config", "", "defaults `file` (default: kube-credential-cache/connect/config.yaml in the user's config directory; also $KCC_CONNECT_CONFIG)")
	f.StringVar(&x.historyFile, "history-file", "", "history `file` (default: kube-credential-cache/connect/history.yaml in the user's config directory)")
	f.IntVar(&x.historyLimit, "history-limit", history.DefaultLimit, "entries the history keeps")
	f.StringVar(&x.versionURL, "version-check-url", versioncheck.DefaultURL, "release feed the new-version notice asks")
	_ = f.MarkHidden("version-check-url")
	a.defaults = x
	a.recorder = x

	// The notice starts after the root's pre-run (so --no-version-check
	// from the config file counts) and is printed when the command is done.
	pre := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if pre != nil {
			if err := pre(cmd, args); err != nil {
				return err
			}
		}
		x.startNotice(cmd)
		return nil
	}
	root.PersistentPostRunE = func(*cobra.Command, []string) error {
		x.finishNotice()
		return nil
	}
	root.AddCommand(newHistoryCmd(x), newToCmd(x), newAliasCmd(x), newConfigCmd(x), newVersionCmd(x))
}

// Apply gives every flag of cmd that was not on the command line its value
// from $KCC_CONNECT_<FLAG>, else from the config file: the one place where
// flags > environment > config file > built-in is decided. The config
// commands read the file themselves and take only the environment, so a
// broken value in the file can still be fixed with `config set`.
func (x *extras) Apply(cmd *cobra.Command) error {
	s := settings.New()
	if !isConfigCmd(cmd) {
		f, err := x.settingsFile()
		if err != nil {
			return err
		}
		if s, err = f.Load(); err != nil {
			return err
		}
	}
	_, err := settings.Apply(cmd.Flags(), s, envPrefix, x.lookupEnv, noDefault)
	return err
}

// noDefault names the flags that take no default: help and --version act
// instead of configuring, and the config file cannot name itself.
func noDefault(name string) bool {
	return name == "help" || name == "version" || name == "config"
}

func (x *extras) lookupEnv(name string) (string, bool) {
	v := x.a.getenv(name)
	return v, v != ""
}

func isConfigCmd(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Name() == "config" && c.Parent() != nil && !c.Parent().HasParent() {
			return true
		}
	}
	return false
}

func (x *extras) settingsFile() (*settings.File, error) {
	path := x.configFile
	if path == "" {
		path = x.a.getenv(envPrefix + "CONFIG")
	}
	if path == "" {
		var err error
		if path, err = settings.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return &settings.File{Path: path}, nil
}

func (x *extras) historyStore() (*history.Store, error) {
	path := x.historyFile
	if path == "" {
		var err error
		if path, err = history.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return &history.Store{
		Path:  path,
		Limit: x.historyLimit,
		Now:   x.a.now,
		Warn:  func(err error) { fmt.Fprintf(x.a.stderr, "kcc-connect: warning: %s\n", oneLine(err)) },
	}, nil
}

// Record keeps an entry use wrote in the history. One printed on stdout
// (-k -) is not kept: there is no file to go back to.
func (x *extras) Record(_ context.Context, e connect.Entry) error {
	if e.Kubeconfig == "-" || e.Kubeconfig == "" {
		return nil
	}
	store, err := x.historyStore()
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
