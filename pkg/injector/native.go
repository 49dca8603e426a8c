package injector

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// A Native is a plugin kcc ships in place of others: kcc-eks for the EKS
// token plugins (NativeEKS), kcc-oidc for int128/kubelogin (NativeOIDC),
// kcc-aks for Azure's kubelogin (NativeAKS).
type Native struct {
	// Command is the program put first in args, which kcc-cache runs.
	Command string
	// replaces reports the program names (commandBase) of the plugins it
	// may replace, so that one with args it cannot read is reported.
	replaces func(base string) bool
	// mapArgs maps a plugin's command line to Command's arguments. mine is
	// false for a plugin it does not replace; err, an *unmappable, says why
	// one it does cannot be carried over faithfully. Pure, and it never
	// puts an argument's value in err.
	mapArgs func(command string, args []string) (out []string, mine bool, err error)
}

// Natives is every native plugin, in the order a user's plugin is offered
// to them (kcc-injector --native). NativeAKS comes before NativeOIDC: both
// read "kubelogin get-token", NativeAKS takes Azure's and leaves int128's
// (--oidc-issuer-url) to NativeOIDC, which reports Azure's as not its own.
var Natives = []Native{NativeEKS, NativeAKS, NativeOIDC}

// NativeReport says what InjectNative did beyond a plain Inject.
type NativeReport struct {
	// Native names the selected users that run a native plugin in the
	// result, switched now or before.
	Native []string
	// Commands are the native plugins those users run, each once.
	Commands []string
	// Skipped are the users of a replaceable plugin left running it.
	Skipped []Skipped
}

func (r *NativeReport) switched(user, command string) {
	r.Native = append(r.Native, user)
	if !contains(r.Commands, command) {
		r.Commands = append(r.Commands, command)
	}
}

// Skipped is a user InjectNative could not switch to a native plugin: it
// keeps running its own plugin (wrapped by kcc-cache like any other).
type Skipped struct {
	User   string
	Line   int
	Plugin string // the plugin it keeps running
	Reason string
}

func (s Skipped) String() string {
	return fmt.Sprintf("user %q, line %d: %s; it keeps running %s", s.User, s.Line, s.Reason, printable(s.Plugin))
}

// InjectNative is Inject, except that each selected user whose plugin one
// of natives replaces runs that native plugin instead: for NativeEKS,
// "aws ... eks get-token ...", "aws-iam-authenticator token ..." and
// "eks-auth ..." become command kcc-cache, args [kcc-eks, --cluster-name,
// NAME, ...] with the same cluster, region, role and profile; for
// NativeOIDC, kubelogin's get-token becomes [kcc-oidc, get-token, ...] with
// the same flags. Env entries are kept. Users wrapped by a plain Inject are
// switched too. The marker entry records the old command and args (their
// source text) so that Restore gives back the original file byte for byte.
// A user whose arguments the native plugin could not honour exactly, or
// whose layout cannot be rewritten losslessly, is wrapped as Inject would
// and reported as skipped; its identity never changes.
func InjectNative(src []byte, opts Options, natives ...Native) (out []byte, report NativeReport, err error) {
	d, err := parse(src)
	if err != nil {
		return nil, report, err
	}
	if err := d.checkSelection(opts); err != nil {
		return nil, report, err
	}
	var edits []edit
	var plain []*execUser
	var native []*nativeUser
	for _, u := range d.users {
		if !opts.selects(u.name) {
			continue
		}
		wrapped := opts.wrapped(u.cmd.Value)
		if n, ok := runsNative(u, natives); wrapped && ok {
			report.switched(u.name, n.Command)
			continue
		}
		nu, skip, err := d.nativeEdits(u, natives, opts.command(), wrapped)
		if err != nil {
			return nil, report, fmt.Errorf("user %q: %w", u.name, byHand(err))
		}
		if skip != nil {
			report.Skipped = append(report.Skipped, *skip)
		}
		if nu != nil {
			edits = append(edits, nu.edits...)
			native = append(native, nu)
			report.switched(u.name, nu.native.Command)
			continue
		}
		if wrapped {
			continue
		}
		e, err := d.injectUser(u, opts.command())
		if err != nil {
			return nil, report, fmt.Errorf("user %q: %w", u.name, byHand(err))
		}
		edits = append(edits, e...)
		plain = append(plain, u)
	}
	if len(plain) == 0 && len(native) == 0 {
		return src, report, nil
	}
	if out, err = ys.Apply(src, edits); err != nil {
		return nil, report, err
	}
	if err := d.verifyNative(out, plain, native, opts.command()); err != nil {
		return nil, report, err
	}
	return out, report, nil
}

// runsNative returns the native plugin a wrapped user runs already.
func runsNative(u *execUser, natives []Native) (Native, bool) {
	if u.args == nil || u.args.Kind != yaml.SequenceNode || len(u.args.Content) == 0 || u.args.Content[0].Kind != yaml.ScalarNode {
		return Native{}, false
	}
	for _, n := range natives {
		if commandBase(u.args.Content[0].Value) == n.Command {
			return n, true
		}
	}
	return Native{}, false
}

// nativeUser is one user switched to a native plugin, with what
// verification needs.
type nativeUser struct {
	*execUser
	native  Native
	wrapped bool     // it ran kcc-cache before
	args    []string // the native plugin's command line
	marker  string   // the MarkerEnv value
	edits   []edit
}

// nativeEdits switches one user to the first of natives that replaces its
// plugin. It returns nil and no error for a user whose plugin none
// replaces, and nil with skip set for one it cannot switch.
func (d *document) nativeEdits(u *execUser, natives []Native, command string, wrapped bool) (nu *nativeUser, skip *Skipped, err error) {
	plugin, args, first, ok := pluginOf(u, wrapped)
	skipped := func(line int, why string) *Skipped {
		return &Skipped{User: u.name, Line: line, Plugin: commandBase(plugin), Reason: why}
	}
	for _, n := range natives {
		if !ok {
			if n.replaces(commandBase(plugin)) {
				return nil, skipped(u.cmd.Line, "args that are not all strings"), nil
			}
			continue
		}
		mapped, mine, mapErr := n.mapArgs(plugin, args)
		if !mine {
			continue
		}
		var um *unmappable
		if errors.As(mapErr, &um) {
			line := u.cmd.Line
			if um.arg >= 0 {
				line = u.args.Content[first+um.arg].Line
			}
			return nil, skipped(line, um.why), nil
		}
		nu = &nativeUser{execUser: u, native: n, wrapped: wrapped, args: mapped}
		nu.edits, nu.marker, err = d.switchTo(u, command, wrapped, mapped)
		var layout *ys.LayoutError
		if errors.As(err, &layout) {
			return nil, skipped(layout.Line, layout.What+" cannot be rewritten losslessly"), nil
		}
		if err != nil {
			return nil, nil, err
		}
		return nu, nil, nil
	}
	return nil, nil, nil
}

// pluginOf returns the plugin a user runs: its command and args, or for a
// wrapped user args[0] and the rest. first is the index of the plugin's
// first argument in args. ok is false when the args are not all strings
// (command is then still set when known).
func pluginOf(u *execUser, wrapped bool) (command string, args []string, first int, ok bool) {
	command = u.cmd.Value
	var items []*yaml.Node
	if u.args != nil && u.args.Kind == yaml.SequenceNode {
		items = u.args.Content
	} else if !ys.IsNull(u.args) {
		return command, nil, 0, false
	}
	if wrapped {
		if len(items) == 0 || items[0].Kind != yaml.ScalarNode {
			return "", nil, 0, false
		}
		command, items, first = items[0].Value, items[1:], 1
	}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode || ys.IsNull(it) {
			return command, nil, 0, false
		}
		args = append(args, it.Value)
	}
	return command, args, first, true
}

// switchTo returns the edits that make one user run the native command
// line mapped and the marker value recording what Restore must put back.
func (d *document) switchTo(u *execUser, command string, wrapped bool, mapped []string) ([]edit, string, error) {
	s := d.src
	if u.args == nil || u.args.Kind != yaml.SequenceNode || len(u.args.Content) == 0 {
		return nil, "", ys.Unsupported(u.exec, "an exec without args")
	}
	l, err := d.itemsLayout(u.args)
	if err != nil {
		return nil, "", err
	}
	var was []string
	var edits []edit
	if !wrapped {
		cstart, cend, err := s.Span(u.cmd)
		if err != nil {
			return nil, "", err
		}
		if s.HasProperties(u.cmd) {
			return nil, "", ys.Unsupported(u.cmd, "a command with an anchor or tag")
		}
		was = append(was, string(s.Bytes()[cstart:cend]))
		edits = append(edits, edit{Start: cstart, End: cend, Text: d.scalar(command)})
	}
	texts, err := l.texts(s, u.args)
	if err != nil {
		return nil, "", err
	}
	was = append(was, texts...)
	rendered := make([]string, len(mapped))
	for i, a := range mapped {
		rendered[i] = d.scalar(a)
	}
	edits = append(edits, edit{Start: l.start, End: l.end, Text: l.render(rendered)})

	m := marker{was: was}
	e, err := d.markEnv(u, wrapped, &m)
	if err != nil {
		return nil, "", err
	}
	return append(edits, e...), m.String(), nil
}

// markEnv adds the user and marker env entries, or for a user wrapped
// before, completes the ones it has: the old marker's forms are kept, since
// they describe the original file.
func (d *document) markEnv(u *execUser, wrapped bool, m *marker) ([]edit, error) {
	ui, mi := -1, -1
	if wrapped {
		var err error
		if ui, mi, err = d.envIndex(u); err != nil {
			return nil, err
		}
	}
	if mi >= 0 {
		_, old, err := d.ourEnv(u)
		if err != nil {
			return nil, err
		}
		if old.args != formList || old.was != nil {
			return nil, ys.Unsupported(u.env.Content[mi], "this "+MarkerEnv+" entry")
		}
		m.env = old.env
		return d.replaceEnvValue(u.env.Content[mi], m.String())
	}
	if ui >= 0 {
		// Right after the user entry, where Inject puts the marker.
		e, err := d.insertItems(u.env, ui+1, d.envItems(u, []envEntry{{MarkerEnv, m.String()}}))
		return []edit{e}, err
	}
	f, err := d.envForm(u)
	if err != nil {
		return nil, err
	}
	m.env = f
	entries := []envEntry{{execcred.UserEnv, u.name}, {MarkerEnv, m.String()}}
	u.added = entries
	edits, err := d.prependEnv(u, f, entries)
	if err != nil || f != formAbsent {
		return edits, err
	}
	e, err := d.addEntries(u, []string{"env"}, "", entries)
	return append(edits, e), err
}

// envIndex finds the user and marker entries in a wrapped user's env, -1
// for one that is not there.
func (d *document) envIndex(u *execUser) (user, mark int, err error) {
	user, mark = -1, -1
	if u.env == nil || u.env.Kind != yaml.SequenceNode {
		return user, mark, nil
	}
	for i, item := range u.env.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		_, name, err := ys.Lookup(item, "name")
		if err != nil {
			return -1, -1, err
		}
		switch {
		case name == nil:
		case name.Value == execcred.UserEnv && user < 0:
			user = i
		case name.Value == MarkerEnv && mark < 0:
			mark = i
		}
	}
	return user, mark, nil
}

// replaceEnvValue rewrites the value of one env entry.
func (d *document) replaceEnvValue(item *yaml.Node, value string) ([]edit, error) {
	_, v, err := ys.Lookup(item, "value")
	if err != nil {
		return nil, err
	}
	if v == nil || v.Kind != yaml.ScalarNode || d.src.HasProperties(v) {
		return nil, ys.Unsupported(item, "this "+MarkerEnv+" entry")
	}
	start, err := d.src.Offset(v)
	if err != nil {
		return nil, err
	}
	end, err := d.src.End(v)
	return []edit{{Start: start, End: end, Text: d.scalar(value)}}, err
}
