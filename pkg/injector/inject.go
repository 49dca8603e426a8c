package injector

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// Inject wraps the exec plugin of every selected user with opts.Command:
// command becomes opts.Command, the old command is prepended to args and
// KUBE_CREDENTIAL_CACHE_USER=<user name> is prepended to env. Users already
// wrapped and users without exec are left alone, so Inject is idempotent.
func Inject(src []byte, opts Options) ([]byte, error) {
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	if err := d.checkSelection(opts); err != nil {
		return nil, err
	}
	var edits []edit
	var done []*execUser
	for _, u := range d.users {
		if !opts.selects(u.name) || opts.wrapped(u.cmd.Value) {
			continue
		}
		e, err := d.injectUser(u, opts.command())
		if err != nil {
			return nil, fmt.Errorf("user %q: %w", u.name, byHand(err))
		}
		edits = append(edits, e...)
		done = append(done, u)
	}
	if len(done) == 0 {
		return src, nil
	}
	out, err := ys.Apply(src, edits)
	if err != nil {
		return nil, err
	}
	if err := verifyInject(src, out, done, opts.command()); err != nil {
		return nil, err
	}
	return out, nil
}

func (d *document) checkSelection(opts Options) error {
	for _, name := range opts.Users {
		if !d.names[name] {
			return fmt.Errorf("no user named %q", name)
		}
	}
	return nil
}

// injectUser returns the edits that wrap one user.
func (d *document) injectUser(u *execUser, command string) ([]edit, error) {
	s := d.src
	cstart, err := s.Offset(u.cmd)
	if err != nil {
		return nil, err
	}
	if isRelativePath(u.cmd.Value) {
		return nil, fmt.Errorf("line %d: the command is a relative path, which kubectl resolves against the kubeconfig's directory but kcc-cache, receiving it as an argument, would run from kubectl's working directory; make it absolute first", u.cmd.Line)
	}
	if s.HasProperties(u.cmd) {
		// Moving the text alone would drop them; with them it is no command.
		return nil, ys.Unsupported(u.cmd, "a command with an anchor or tag")
	}
	cend, err := s.End(u.cmd)
	if err != nil {
		return nil, err
	}
	orig := string(s.Bytes()[cstart:cend])
	edits := []edit{{Start: cstart, End: cend, Text: d.scalar(command)}}

	var m marker
	var created []string // entries to add to exec, in order
	argsForm, argsEdits, err := d.prependArg(u, orig)
	if err != nil {
		return nil, err
	}
	m.args = argsForm
	if argsForm == formAbsent {
		created = append(created, "args")
	}
	edits = append(edits, argsEdits...)

	entries := []envEntry{{execcred.UserEnv, u.name}}
	m.env, err = d.envForm(u)
	if err != nil {
		return nil, err
	}
	if m.needed() {
		entries = append(entries, envEntry{MarkerEnv, m.String()})
	}
	u.added = entries
	envEdits, err := d.prependEnv(u, m.env, entries)
	if err != nil {
		return nil, err
	}
	if m.env == formAbsent {
		created = append(created, "env")
	}
	edits = append(edits, envEdits...)

	if len(created) > 0 {
		e, err := d.addEntries(u, created, orig, entries)
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

// fieldForm classifies an args or env value: a list, absent or a null.
func (d *document) fieldForm(key, val *yaml.Node, name string) (form, error) {
	switch {
	case key == nil:
		return formAbsent, nil
	case val.Kind == yaml.SequenceNode:
		return formList, nil
	case ys.IsNull(val) && val.Value == "":
		return formEmpty, nil
	case ys.IsNull(val) && nullTokens[val.Value]:
		if d.src.HasProperties(val) {
			return "", ys.Unsupported(val, "a null with an anchor or tag")
		}
		return form(val.Value), nil
	}
	return "", fmt.Errorf("line %d: exec %s is not a list", val.Line, name)
}

func (d *document) envForm(u *execUser) (form, error) {
	return d.fieldForm(u.envKey, u.env, "env")
}

// replaceNull returns the edit that turns a null value into the flow
// sequence body. A flow sequence keeps the line, and its comment, as it was.
func (d *document) replaceNull(key, val *yaml.Node, f form, body string) (edit, error) {
	if f == formEmpty {
		off, err := d.src.ColonAfter(key)
		return edit{Start: off, End: off, Text: " [" + body + "]"}, err
	}
	start, err := d.src.Offset(val)
	if err != nil {
		return edit{}, err
	}
	end, err := d.src.End(val)
	return edit{Start: start, End: end, Text: "[" + body + "]"}, err
}

// prependArg puts the original command text first in args.
func (d *document) prependArg(u *execUser, orig string) (form, []edit, error) {
	f, err := d.fieldForm(u.argsKey, u.args, "args")
	if err != nil || f == formAbsent {
		return f, nil, err
	}
	if f != formList {
		e, err := d.replaceNull(u.argsKey, u.args, f, orig)
		return f, []edit{e}, err
	}
	e, err := d.prependItems(u.args, []newItem{{flow: orig, block: []string{orig}}})
	return f, []edit{e}, err
}

// prependEnv puts the entries first in env.
func (d *document) prependEnv(u *execUser, f form, entries []envEntry) ([]edit, error) {
	switch f {
	case formAbsent:
		return nil, nil
	case formList:
		e, err := d.prependItems(u.env, d.envItems(u, entries))
		return []edit{e}, err
	}
	e, err := d.replaceNull(u.envKey, u.env, f, d.flowEnv(entries, ", "))
	return []edit{e}, err
}

// envItems renders env entries as sequence items laid out like the user's
// first env entry.
func (d *document) envItems(u *execUser, entries []envEntry) []newItem {
	items := make([]newItem, len(entries))
	for i, e := range entries {
		items[i] = newItem{
			flow:  d.flowEnv(entries[i:i+1], ""),
			block: []string{"name: " + d.scalar(e.name), "value: " + d.scalar(e.value)},
		}
		if len(u.env.Content) > 0 {
			items[i].flow = d.flowEntryLike(u.env.Content[0], e)
		}
	}
	return items
}

// isRelativePath reports a command that client-go resolves against the
// kubeconfig's directory (it contains a path separator and is not absolute;
// a bare name is looked up on PATH). Moved into args, it would no longer be
// resolved, and another program of that relative name could run instead.
func isRelativePath(cmd string) bool {
	if !strings.ContainsAny(cmd, `/\`) {
		return false
	}
	if strings.HasPrefix(cmd, "/") || strings.HasPrefix(cmd, `\\`) {
		return false
	}
	// A Windows drive path, C:\ or C:/, is absolute on the machine it is for.
	return !(len(cmd) >= 3 && isASCIILetter(cmd[0]) && cmd[1] == ':' && (cmd[2] == '\\' || cmd[2] == '/'))
}

func isASCIILetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
