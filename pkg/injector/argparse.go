package injector

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// pyParser is the part of Python's argparse.ArgumentParser (CPython 3.11,
// Lib/argparse.py) the AWS CLI's parsers use, so that kcc-injector reads an
// "aws" command line as the CLI does: parse_known_args with abbreviations
// (allow_abbrev), "--opt=value", options that take one value or none,
// positionals that take one, and the unknown arguments left over in order.
type pyParser struct {
	options     []pyOption // in the order they were added
	positionals []string   // dests of nargs=None positionals, in order
}

// pyOption is one optional action: its option string ("--region"), whether
// it takes a value (nargs=None) or none (store_true and the like), and the
// values argparse allows (choices), if it checks them.
type pyOption struct {
	name    string
	value   bool
	choices []string
}

// pyArg is an argument and its index in the plugin's args, so an error can
// point at it after the argument has passed through several parsers.
type pyArg struct {
	s  string
	at int
}

// pyValue is what parse_known_args stored for a dest: the last value given
// (argparse's "store" keeps the last) and the index of the option that gave
// it (of the argument itself for a positional).
type pyValue struct {
	v  string
	at int
}

// pyError is a command line argparse rejects (the CLI exits 2), or one of
// the AWS CLI's own checks after it; at is the argument at fault, -1 for
// none. Its text never holds a value, only option names.
type pyError struct {
	at  int
	why string
}

func (e *pyError) Error() string { return e.why }

// optionTuple is what _parse_optional returns for an option-like argument:
// the option it matched (nil: unknown to this parser) and the value after
// its "=", if any.
type optionTuple struct {
	opt      *pyOption
	explicit *string
}

// negativeNumber is argparse's _negative_number_matcher: such an argument is
// a positional when no option looks like a negative number (none here).
// Python's \d is any Unicode decimal digit and its $ also matches before a
// final newline.
func negativeNumber(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	if !strings.HasPrefix(s, "-") {
		return false
	}
	digits := func(s string) bool {
		for _, r := range s {
			if !unicode.IsDigit(r) {
				return false
			}
		}
		return true
	}
	s = s[1:]
	if intPart, frac, ok := strings.Cut(s, "."); ok {
		return digits(intPart) && frac != "" && digits(frac)
	}
	return s != "" && digits(s)
}

func (p *pyParser) exact(name string) *pyOption {
	for i := range p.options {
		if p.options[i].name == name {
			return &p.options[i]
		}
	}
	return nil
}

// parseOptional is argparse's _parse_optional: nil for a positional, else
// the option (possibly unknown); an ambiguous abbreviation is an error.
func (p *pyParser) parseOptional(a pyArg) (*optionTuple, *pyError) {
	s := a.s
	if s == "" || s[0] != '-' {
		return nil, nil
	}
	if o := p.exact(s); o != nil {
		return &optionTuple{opt: o}, nil
	}
	if len(s) == 1 {
		return nil, nil
	}
	if name, v, ok := strings.Cut(s, "="); ok {
		if o := p.exact(name); o != nil {
			return &optionTuple{opt: o, explicit: &v}, nil
		}
	}
	// _get_option_tuples: every option the argument abbreviates.
	var matches []optionTuple
	var names []string
	if s[1] == '-' {
		prefix, v, ok := strings.Cut(s, "=")
		for i, o := range p.options {
			if strings.HasPrefix(o.name, prefix) {
				t := optionTuple{opt: &p.options[i]}
				if ok {
					t.explicit = &v
				}
				matches, names = append(matches, t), append(names, o.name)
			}
		}
	} else {
		short, rest := s[:2], s[2:]
		for i, o := range p.options {
			switch {
			case o.name == short:
				matches, names = append(matches, optionTuple{opt: &p.options[i], explicit: &rest}), append(names, o.name)
			case strings.HasPrefix(o.name, s):
				matches, names = append(matches, optionTuple{opt: &p.options[i]}), append(names, o.name)
			}
		}
	}
	switch {
	case len(matches) > 1:
		if len(names) > 3 {
			names = append(names[:3], "...")
		}
		return nil, &pyError{at: a.at, why: fmt.Sprintf("aws rejects the ambiguous option %s (%s)", printable(quoteArg(s)), strings.Join(names, ", "))}
	case len(matches) == 1:
		return &matches[0], nil
	case negativeNumber(s), strings.Contains(s, " "):
		return nil, nil
	}
	return &optionTuple{}, nil
}

// parseKnown is parse_known_args: the values of the dests it knows and the
// arguments it does not, in their order. The loop below follows
// _parse_known_args step by step, with the same pattern of 'O' (option), 'A'
// (argument) and '-' ("--") and the same regular expressions, so that it
// splits a command line exactly where argparse does.
func (p *pyParser) parseKnown(args []pyArg) (map[string]pyValue, []pyArg, *pyError) {
	tuples := map[int]*optionTuple{}
	var pattern strings.Builder
	for i := 0; i < len(args); i++ {
		if args[i].s == "--" {
			pattern.WriteString("-" + strings.Repeat("A", len(args)-i-1))
			break
		}
		t, err := p.parseOptional(args[i])
		if err != nil {
			return nil, nil, err
		}
		if t == nil {
			pattern.WriteByte('A')
			continue
		}
		tuples[i] = t
		pattern.WriteByte('O')
	}
	pat := pattern.String()

	ns := map[string]pyValue{}
	var extras []pyArg
	store := func(dest string, a pyArg) { ns[dest] = pyValue{v: a.s, at: a.at} }

	consumeOptional := func(i int) (int, *pyError) {
		t := tuples[i]
		switch {
		case t.opt == nil:
			extras = append(extras, args[i])
			return i + 1, nil
		case t.explicit != nil && t.opt.value:
			return i + 1, p.take(ns, store, t.opt, pyArg{s: *t.explicit, at: args[i].at})
		case t.explicit != nil:
			// A long option taking no value given one; a single-dash
			// option would chain (-xyz), which no AWS CLI option is.
			return 0, &pyError{at: args[i].at, why: fmt.Sprintf("aws option %s takes no value", t.opt.name)}
		case !t.opt.value:
			return i + 1, p.take(ns, store, t.opt, pyArg{at: args[i].at})
		case i+1 < len(args) && pat[i+1] == 'A':
			return i + 2, p.take(ns, store, t.opt, pyArg{s: args[i+1].s, at: args[i].at})
		}
		return 0, &pyError{at: args[i].at, why: fmt.Sprintf("aws option %s has no value", t.opt.name)}
	}

	positionals := p.positionals
	consumePositionals := func(start int) int {
		// _match_arguments_partial: as many positionals as match, each
		// nargs=None ("-*A-*"); "--" is dropped from the value.
		for n := len(positionals); n > 0; n-- {
			re := regexp.MustCompile("^" + strings.Repeat("(-*A-*)", n))
			m := re.FindStringSubmatchIndex(pat[start:])
			if m == nil {
				continue
			}
			for k := 0; k < n; k++ {
				group := append([]pyArg(nil), args[start+m[2+2*k]:start+m[3+2*k]]...)
				for j := range group {
					if group[j].s == "--" {
						group = append(group[:j], group[j+1:]...)
						break
					}
				}
				store(positionals[k], group[0])
			}
			positionals = positionals[n:]
			return start + m[1]
		}
		return start
	}

	maxOption := -1
	for i := range tuples {
		if i > maxOption {
			maxOption = i
		}
	}
	start := 0
	for start <= maxOption {
		next := len(args)
		for i := range tuples {
			if i >= start && i < next {
				next = i
			}
		}
		if start != next {
			end := consumePositionals(start)
			if end > start {
				start = end
				continue
			}
		}
		if _, ok := tuples[start]; !ok {
			extras = append(extras, args[start:next]...)
			start = next
		}
		var err *pyError
		if start, err = consumeOptional(start); err != nil {
			return nil, nil, err
		}
	}
	stop := consumePositionals(start)
	extras = append(extras, args[stop:]...)
	if len(positionals) > 0 {
		return nil, nil, &pyError{at: -1, why: "aws arguments without a " + positionals[0]}
	}
	return ns, extras, nil
}

// take stores an option's value after argparse's choices check.
func (p *pyParser) take(ns map[string]pyValue, store func(string, pyArg), o *pyOption, a pyArg) *pyError {
	if o.choices != nil && !contains(o.choices, a.s) {
		return &pyError{at: a.at, why: fmt.Sprintf("aws option %s with a value it does not take", o.name)}
	}
	store(o.name, a)
	return nil
}
