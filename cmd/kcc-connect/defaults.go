package main

import (
	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
)

// envPrefix names the variables that give flags their defaults.
const envPrefix = "KCC_CONNECT_"

// Apply gives every flag of cmd that was not on the command line its value
// from $KCC_CONNECT_<FLAG>, else from the config file: the one place where
// flags > environment > config file > built-in is decided. The config
// commands read the file themselves and take only the environment, so a
// broken value in the file can still be fixed with `config set`.
func (a *app) Apply(cmd *cobra.Command) error {
	s := settings.New()
	if !isConfigCmd(cmd) {
		f, err := a.settingsFile()
		if err != nil {
			return err
		}
		if s, err = f.Load(); err != nil {
			return err
		}
	}
	_, err := settings.Apply(cmd.Flags(), s, envPrefix, a.lookupEnv, noDefault)
	return err
}

// noDefault names the flags that take no default: help and --version act
// instead of configuring, and the config file cannot name itself.
func noDefault(name string) bool {
	return name == "help" || name == "version" || name == "config"
}

func (a *app) lookupEnv(name string) (string, bool) {
	v := a.getenv(name)
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

func (a *app) settingsFile() (*settings.File, error) {
	path := a.configFile
	if path == "" {
		path = a.getenv(envPrefix + "CONFIG")
	}
	if path == "" {
		var err error
		if path, err = settings.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return &settings.File{Path: path}, nil
}
