package injector

import (
	"bytes"
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// verifyInject checks Inject's output before anyone sees it: it must decode
// to the input with only the wrapped exec fields changed, and restoring those
// users must give back the input byte for byte.
func verifyInject(src, out []byte, done []*execUser, command string) error {
	want, got, err := decodePair(src, out)
	if err != nil {
		return err
	}
	for _, u := range done {
		if err := expectInjected(want, u, command); err != nil {
			return err
		}
	}
	if !reflect.DeepEqual(normalize(want, done), normalize(got, done)) {
		return layoutError(done[0], "the result would mean more than the intended change")
	}
	d, err := parse(out)
	if err != nil {
		return fmt.Errorf("internal error: the result does not parse: %w", err)
	}
	picked := map[int]bool{}
	for _, u := range done {
		picked[u.index] = true
	}
	back, _, err := d.restore(func(u *execUser) bool { return picked[u.index] })
	if err != nil || !bytes.Equal(back, src) {
		return layoutError(done[0], "the result could not be restored byte for byte")
	}
	return nil
}

// expectInjected changes a decoded kubeconfig the way Inject wraps u.
func expectInjected(doc any, u *execUser, command string) error {
	exec := execOf(doc, u.index)
	if exec == nil {
		return layoutError(u, "the result could not be read back")
	}
	orig := exec["command"]
	exec["command"] = command
	exec["args"] = append([]any{orig}, list(exec["args"])...)
	exec["env"] = append(envList(u.added), list(exec["env"])...)
	return nil
}

// verifyRestore checks that Restore changed only the unwrapped exec fields.
func verifyRestore(src, out []byte, done []*execUser) error {
	want, got, err := decodePair(src, out)
	if err != nil {
		return err
	}
	for _, u := range done {
		exec := execOf(want, u.index)
		args := list(exec["args"])
		if u.was != nil {
			// The marker's text, not args, holds what was there before.
			if args = wasValues(u.was); args == nil {
				return layoutError(u, "the recorded command does not read back")
			}
		}
		if exec == nil || len(args) == 0 {
			return layoutError(u, "the result could not be read back")
		}
		exec["command"] = args[0]
		exec["args"] = args[1:]
		var env []any
		for _, e := range list(exec["env"]) {
			if m, ok := e.(map[string]any); ok && (m["name"] == execcred.UserEnv || m["name"] == MarkerEnv) {
				continue
			}
			env = append(env, e)
		}
		exec["env"] = env
	}
	if !reflect.DeepEqual(normalize(want, done), normalize(got, done)) {
		return layoutError(done[0], "the result would mean more than the intended change")
	}
	return nil
}

func layoutError(u *execUser, why string) error {
	return fmt.Errorf("user %q: line %d: this layout is not supported for a lossless edit (%s); edit it by hand", u.name, u.exec.Line, why)
}

func decodePair(a, b []byte) (any, any, error) {
	var va, vb any
	if err := yaml.Unmarshal(a, &va); err != nil {
		return nil, nil, fmt.Errorf("not YAML: %w", err)
	}
	if err := yaml.Unmarshal(b, &vb); err != nil {
		return nil, nil, fmt.Errorf("internal error: the result is not YAML: %w", err)
	}
	return va, vb, nil
}

// execOf returns users[i].user.exec of a decoded kubeconfig.
func execOf(doc any, i int) map[string]any {
	root, _ := doc.(map[string]any)
	users, _ := root["users"].([]any)
	if i >= len(users) {
		return nil
	}
	u, _ := users[i].(map[string]any)
	user, _ := u["user"].(map[string]any)
	exec, _ := user["exec"].(map[string]any)
	return exec
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func envList(entries []envEntry) []any {
	out := make([]any, len(entries))
	for i, e := range entries {
		out[i] = map[string]any{"name": e.name, "value": e.value}
	}
	return out
}

// normalize treats an absent, null and empty args or env alike: Inject and
// Restore move between these forms and kubectl reads them the same way.
func normalize(doc any, users []*execUser) any {
	for _, u := range users {
		exec := execOf(doc, u.index)
		for _, k := range []string{"args", "env"} {
			if v, ok := exec[k]; ok && len(list(v)) == 0 {
				if _, isList := v.([]any); isList || v == nil {
					delete(exec, k)
				}
			}
		}
	}
	return doc
}
