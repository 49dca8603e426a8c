package main

import (
	"fmt"
	"strings"
	"time"
)

// The configuration is read the way kelseyhightower/envconfig reads a struct
// with `envconfig:"NAME" default:"..."` tags, which is how it was read until
// the hit had to get faster: linking envconfig alone cost about 11% of a
// cache hit's whole process time, measured here (its package init compiles
// two regular expressions, which pulls in the unicode tables, and its
// Process walks the struct by reflection). Every kubectl call pays a hit, so
// kcc-cache reads its ten variables from a table instead.
//
// What is kept of envconfig, and pinned by TestEnvMatchesEnvconfig, which
// runs envconfig itself on the same inputs: a variable that is set, even to
// "", is parsed (an empty duration is an error, an empty list is empty); an
// unset one takes its default; durations by time.ParseDuration; lists split
// at commas, unchanged; the same error text.
//
// What is deliberately not kept: envconfig also read each variable under
// its bare name when the prefixed one was unset (DEBUG, FILE, BACKEND, ...).
// Nothing documented that, and it made unrelated variables change the
// cache: DEBUG=express:* (a common Node.js setting) failed every kubectl
// call with "invalid KUBE_CREDENTIAL_CACHE_DEBUG".

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
