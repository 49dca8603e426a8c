package injector

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// Restore undoes Inject for every selected wrapped user: args[0] becomes
// the command again and the env entries Inject added are removed. A user
// wrapped by hand (command kcc-cache, original command in args[0]) is
// unwrapped the same way. On Inject's own output the result is the original
// file byte for byte.
func Restore(src []byte, opts Options) ([]byte, error) {
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	if err := d.checkSelection(opts); err != nil {
		return nil, err
	}
	isWrapped := IsCacheCommand
	if opts.Command != "" {
		isWrapped = opts.wrapped
	}
	out, done, err := d.restore(func(u *execUser) bool {
		return opts.selects(u.name) && isWrapped(u.cmd.Value)
	})
	if err != nil || len(done) == 0 {
		return out, err
	}
	if err := verifyRestore(src, out, done); err != nil {
		return nil, err
	}
	return out, nil
}

// restore unwraps the users pick selects and reports which it changed.
func (d *document) restore(pick func(*execUser) bool) ([]byte, []*execUser, error) {
	var edits []edit
	var done []*execUser
	for _, u := range d.users {
		if !pick(u) {
			continue
		}
		e, err := d.restoreUser(u)
		if err != nil {
			return nil, nil, fmt.Errorf("user %q: %w", u.name, byHand(err))
		}
		edits = append(edits, e...)
		done = append(done, u)
	}
	if len(done) == 0 {
		return d.src.Bytes(), nil, nil
	}
	out, err := ys.Apply(d.src.Bytes(), edits)
	return out, done, err
}

func (d *document) restoreUser(u *execUser) ([]edit, error) {
	ours, m, err := d.ourEnv(u)
	if err != nil {
		return nil, err
	}
	var edits []edit
	if m.was != nil {
		// A native switch replaced the command and args: put their text back.
		if edits, err = d.restoreWas(u, m.was); err != nil {
			return nil, err
		}
		u.was = m.was
		m.args = formList
	} else if edits, err = d.restoreCommand(u); err != nil {
		return nil, err
	}
	s := d.src
	// The marker is believed only while the field holds nothing but what
	// Inject added; anything added since is kept.
	if len(u.args.Content) != 1 {
		m.args = formList
	}
	if u.env == nil || u.env.Kind != yaml.SequenceNode || len(u.env.Content) != len(ours) {
		m.env = formList
	}
	var absent []int
	for i, k := 0, 0; i < len(u.exec.Content); i, k = i+2, k+1 {
		switch key := u.exec.Content[i]; {
		case key == u.argsKey && m.args == formAbsent, key == u.envKey && m.env == formAbsent:
			absent = append(absent, k)
		}
	}
	e, err := s.RemoveEntries(u.exec, absent)
	if err != nil {
		return nil, err
	}
	edits = append(edits, e...)
	if u.was == nil {
		if e, err = d.restoreField(u.argsKey, u.args, m.args, []int{0}); err != nil {
			return nil, err
		}
		edits = append(edits, e...)
	}
	if len(ours) > 0 {
		if e, err = d.restoreField(u.envKey, u.env, m.env, ours); err != nil {
			return nil, err
		}
		edits = append(edits, e...)
	}
	return edits, nil
}

// restoreCommand makes args[0] the command again.
func (d *document) restoreCommand(u *execUser) ([]edit, error) {
	s := d.src
	if u.args == nil || u.args.Kind != yaml.SequenceNode || len(u.args.Content) == 0 {
		return nil, fmt.Errorf("line %d: command is %s but args is empty, so there is no command to restore", u.cmd.Line, u.cmd.Value)
	}
	first := u.args.Content[0]
	if first.Kind != yaml.ScalarNode || ys.IsNull(first) {
		return nil, fmt.Errorf("line %d: args[0] is not a command", first.Line)
	}
	fstart, fend, err := s.Span(first)
	if err != nil {
		return nil, err
	}
	cstart, cend, err := s.Span(u.cmd)
	if err != nil {
		return nil, err
	}
	return []edit{{Start: cstart, End: cend, Text: string(s.Bytes()[fstart:fend])}}, nil
}

// restoreField puts back a list field: its null, or the list without idx.
func (d *document) restoreField(key, val *yaml.Node, f form, idx []int) ([]edit, error) {
	s := d.src
	switch f {
	case formAbsent:
		return nil, nil // removed with the other entries
	case formList:
		return s.RemoveItems(key, val, idx)
	case formEmpty:
		start, err := s.ColonAfter(key)
		if err != nil {
			return nil, err
		}
		end, err := s.End(val)
		return []edit{{Start: start, End: end, Text: ""}}, err
	}
	start, err := s.Offset(val)
	if err != nil {
		return nil, err
	}
	end, err := s.End(val)
	return []edit{{Start: start, End: end, Text: string(f)}}, err
}

// ourEnv finds the env entries Inject adds and decodes the marker.
func (d *document) ourEnv(u *execUser) ([]int, marker, error) {
	var m marker
	var idx []int
	if u.env == nil || u.env.Kind != yaml.SequenceNode {
		return nil, m, nil
	}
	for i, item := range u.env.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		_, name, err := ys.Lookup(item, "name")
		if err != nil {
			return nil, m, err
		}
		if name == nil || (name.Value != execcred.UserEnv && name.Value != MarkerEnv) {
			continue
		}
		idx = append(idx, i)
		if name.Value == MarkerEnv {
			_, v, err := ys.Lookup(item, "value")
			if err != nil {
				return nil, m, err
			}
			if v == nil {
				return nil, m, fmt.Errorf("line %d: %s has no value", item.Line, MarkerEnv)
			}
			if m, err = parseMarker(v.Value); err != nil {
				return nil, m, fmt.Errorf("line %d: %w", v.Line, err)
			}
		}
	}
	return idx, m, nil
}
