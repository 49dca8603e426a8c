package main

import (
	"fmt"
	"strings"
	"time"
)

// The KUBE_CREDENTIAL_CACHE_* variables are read from a table with
// envconfig's semantics (set, even to "", is parsed; unset takes the
// default; lists split at commas; the same error text), pinned by
// TestEnvMatchesEnvconfig, but only under their prefixed names. Linking
// envconfig cost every hit; the figures and history: docs/design.md §13.

// setting is one variable: its name after the prefix, its default (used
// when the variable is unset; "" means none) and its parser.
type setting struct {
	name string
	def  string
	set  func(string) error
}

// readEnv reads every setting from lookup; the first value that does not
// parse is the error, naming the variable.
func readEnv(prefix string, settings []setting, lookup func(string) (string, bool)) error {
	for _, s := range settings {
		key := prefix + "_" + s.name
		v, ok := lookup(key)
		if !ok {
			if s.def == "" {
				continue
			}
			v = s.def
		}
		if err := s.set(v); err != nil {
			return fmt.Errorf("invalid %s=%q: %v", key, v, err)
		}
	}
	return nil
}

func stringInto(p *string) func(string) error {
	return func(v string) error { *p = v; return nil }
}

func durationInto(p *time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return err
		}
		*p = d
		return nil
	}
}

// listInto splits at commas and keeps the items as they are; a value of only
// white space is an empty list.
func listInto(p *[]string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			*p = []string{}
			return nil
		}
		*p = strings.Split(v, ",")
		return nil
	}
}
