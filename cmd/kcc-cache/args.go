package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// name prefixes every line kcc-cache prints on stderr.
const name = contract.CacheCommand

type action int

const (
	actionProxy action = iota
	actionHelp
	actionVersion
	actionInfo
	actionList
	actionClear
	actionAgent
)

type command struct {
	action action
	argv   []string // the plugin and its arguments, for actionProxy
	format string   // "table" or "json", for actionList
	key    string   // key or key prefix, for actionClear; "" clears all
}

// agentFlag runs the Secret Service agent (agent.Serve). kcc-cache
// starts it itself; it is not in the usage, since nobody needs to type it.
const agentFlag = "--secret-service-agent"

var errNoCommand = errors.New("no plugin command given")

// parseArgs tells kcc-cache's own options from a plugin command. Options
// come only before the command and all start with "-", which no plugin
// command does; "--" ends them for a command that would.
func parseArgs(args []string) (command, error) {
	if len(args) == 0 {
		return command{}, errNoCommand
	}
	switch a := args[0]; a {
	case "-h", "-help", "--help":
		return command{action: actionHelp}, nil
	case "-version", "--version":
		return command{action: actionVersion}, nil
	case agentFlag:
		return noMoreArgs(command{action: actionAgent}, args[1:])
	case "--info":
		return noMoreArgs(command{action: actionInfo}, args[1:])
	case "--list":
		return parseList(args[1:])
	case "--clear":
		if len(args) > 2 {
			return command{}, fmt.Errorf("--clear takes at most one key")
		}
		c := command{action: actionClear}
		if len(args) == 2 {
			if args[1] == "" || strings.HasPrefix(args[1], "-") {
				return command{}, fmt.Errorf("--clear: %q is not a key (see --list)", args[1])
			}
			c.key = strings.ToLower(args[1])
		}
		return c, nil
	case "--":
		if len(args) == 1 {
			return command{}, errNoCommand
		}
		return command{action: actionProxy, argv: args[1:]}, nil
	default:
		if strings.HasPrefix(a, "-") {
			return command{}, fmt.Errorf("unknown option %s", a)
		}
		return command{action: actionProxy, argv: args}, nil
	}
}

func parseList(args []string) (command, error) {
	c := command{action: actionList, format: "table"}
	switch {
	case len(args) == 0:
		return c, nil
	case len(args) == 2 && (args[0] == "-o" || args[0] == "--output"):
		c.format = args[1]
	case len(args) == 1 && strings.HasPrefix(args[0], "-o="), len(args) == 1 && strings.HasPrefix(args[0], "--output="):
		c.format = args[0][strings.IndexByte(args[0], '=')+1:]
	default:
		return command{}, fmt.Errorf("--list takes only -o json or -o table")
	}
	if c.format != "json" && c.format != "table" {
		return command{}, fmt.Errorf("--list: unknown output format %q (want json or table)", c.format)
	}
	return c, nil
}

func noMoreArgs(c command, rest []string) (command, error) {
	if len(rest) > 0 {
		return command{}, fmt.Errorf("unexpected argument after option")
	}
	return c, nil
}

const usage = `Usage:
  kcc-cache <plugin command> [args...]   serve the plugin's ExecCredential from the cache
  kcc-cache -- <plugin command> [args...]
  kcc-cache --list [-o table|json]       list cached entries (no secrets)
  kcc-cache --clear [KEY]                delete all entries, or the one whose key starts with KEY
  kcc-cache --info                       show the backend, paths and settings in use
  kcc-cache --version | --help

Put kcc-cache in a kubeconfig as users[].user.exec.command and move the
plugin's command into args (kcc-injector does it for you). Configuration is
by environment variables KUBE_CREDENTIAL_CACHE_*; see --info.
`

func printUsage(w io.Writer) { fmt.Fprint(w, usage) }

func printVersion(w io.Writer) {
	fmt.Fprintln(w, buildinfo.Line(name, version, commit, date))
}
