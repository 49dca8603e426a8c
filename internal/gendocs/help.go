package main

import (
	"regexp"
	"slices"
	"strings"
)

// words is what a completion offers: a program's flags and subcommands.
type words struct {
	long, short, commands []string
}

var (
	longFlag  = regexp.MustCompile(`(?:^|[\s\[|(,])(--[a-z][a-z0-9-]*)`)
	shortFlag = regexp.MustCompile(`(?m)^\s+(-[a-zA-Z])[,\s]`)
	// "Usage: kcc-oidc get-token|setup|clean [flags]"
	subcommands = regexp.MustCompile(`(?m)^Usage: \S+ ([a-z][a-z-]*(?:\|[a-z][a-z-]*)+)`)
)

// parseHelp finds the flags (every --name the help mentions, and the -x of
// its flag lines) and subcommands of a program that is not cobra's.
func parseHelp(help string) words {
	var w words
	for _, m := range longFlag.FindAllStringSubmatch(help, -1) {
		w.long = append(w.long, m[1])
	}
	for _, m := range shortFlag.FindAllStringSubmatch(help, -1) {
		w.short = append(w.short, m[1])
	}
	if m := subcommands.FindStringSubmatch(help); m != nil {
		w.commands = strings.Split(m[1], "|")
	}
	for _, l := range []*[]string{&w.long, &w.short, &w.commands} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	return w
}

// cobraCommands returns the commands of cobra's "Available Commands:"
// section, or nil for a help without one.
func cobraCommands(help string) []string {
	_, rest, ok := strings.Cut(help, "\nAvailable Commands:\n")
	if !ok {
		return nil
	}
	var commands []string
	for line := range strings.Lines(rest) {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(line, "  ") {
			break
		}
		commands = append(commands, f[0])
	}
	return commands
}
