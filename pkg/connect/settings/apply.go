package settings

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// Source says where a flag's value came from.
type Source string

const (
	FromFlag    Source = "flag"
	FromEnv     Source = "env"
	FromConfig  Source = "config"
	FromDefault Source = "default"
)

// EnvName is the variable that sets flag key: prefix + key upper-cased with
// dashes as underscores (KCC_CONNECT_HISTORY_LIMIT for history-limit).
func EnvName(prefix, key string) string {
	return prefix + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// Apply gives every flag of fs that was not set on the command line its
// value from the environment (prefix + name, see EnvName), else from s,
// else leaves the built-in default. It is the one place precedence is
// decided. skip names flags that take no default (help, the config file
// itself). It returns where each flag's value came from.
//
// Values are set through the flag's own Set, so they are parsed and checked
// exactly as on the command line, but the flag is not marked Changed: a
// default from the environment or the file is still a default.
func Apply(fs *pflag.FlagSet, s *Settings, prefix string, lookupEnv func(string) (string, bool), skip func(name string) bool) (map[string]Source, error) {
	sources := map[string]Source{}
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || (skip != nil && skip(f.Name)) {
			return
		}
		if f.Changed {
			sources[f.Name] = FromFlag
			return
		}
		env := EnvName(prefix, f.Name)
		if v, ok := lookupEnv(env); ok && v != "" {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("$%s: invalid value %q for --%s: %v", env, v, f.Name, e)
				return
			}
			sources[f.Name] = FromEnv
			return
		}
		if vals, ok := s.Get(f.Name); ok {
			if e := setAll(f, vals); e != nil {
				err = fmt.Errorf("config %s: %v", f.Name, e)
				return
			}
			sources[f.Name] = FromConfig
			return
		}
		sources[f.Name] = FromDefault
	})
	return sources, err
}

func setAll(f *pflag.Flag, vals []string) error {
	if len(vals) > 1 && !repeatable(f) {
		return fmt.Errorf("--%s takes one value, got a list of %d", f.Name, len(vals))
	}
	for _, v := range vals {
		if err := f.Value.Set(v); err != nil {
			return fmt.Errorf("invalid value %q for --%s: %v", v, f.Name, err)
		}
	}
	return nil
}

// repeatable says whether a flag collects values (given several times).
func repeatable(f *pflag.Flag) bool {
	if _, ok := f.Value.(pflag.SliceValue); ok {
		return true
	}
	return strings.HasSuffix(f.Value.Type(), "Slice") || strings.HasSuffix(f.Value.Type(), "Array")
}

// Check validates s against the flags it would be applied to: every key
// must name one of them (and not one skip excludes), and every value must
// parse as that flag's type. It tries values on a fresh flag of the same
// type, so fs is not changed.
func Check(s *Settings, flags map[string]*pflag.Flag) error {
	for _, k := range s.Keys() {
		f, ok := flags[k]
		if !ok {
			return fmt.Errorf("unknown key %q (see kcc-connect config list)", k)
		}
		vals, _ := s.Get(k)
		probe := fresh(f)
		if probe == nil {
			continue // a type we cannot copy: checked when applied
		}
		if err := setAll(probe, vals); err != nil {
			return fmt.Errorf("%s: %v", k, err)
		}
	}
	return nil
}

// fresh is a new flag of f's type with f's default, or nil for a type this
// does not know.
func fresh(f *pflag.Flag) *pflag.Flag {
	fs := pflag.NewFlagSet("probe", pflag.ContinueOnError)
	n := f.Name
	switch f.Value.Type() {
	case "string":
		fs.String(n, "", "")
	case "bool":
		fs.Bool(n, false, "")
	case "int":
		fs.Int(n, 0, "")
	case "int64":
		fs.Int64(n, 0, "")
	case "uint":
		fs.Uint(n, 0, "")
	case "float64":
		fs.Float64(n, 0, "")
	case "duration":
		fs.Duration(n, 0, "")
	case "count":
		fs.Count(n, "")
	case "stringSlice":
		fs.StringSlice(n, nil, "")
	case "stringArray":
		fs.StringArray(n, nil, "")
	default:
		return nil
	}
	return fs.Lookup(n)
}
