package injector

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// verifyNative checks InjectNative's output like verifyInject does: it
// must decode to the input with only the switched and wrapped exec fields
// changed, and restoring them must give back what restoring the input gives
// (the input itself unless users were wrapped already), byte for byte.
func (d *document) verifyNative(out []byte, plain []*execUser, native []*nativeUser, command string) error {
	src := d.src.Bytes()
	want, got, err := decodePair(src, out)
	if err != nil {
		return err
	}
	picked := map[int]bool{}
	wasWrapped := map[int]bool{}
	for _, u := range plain {
		if err := expectInjected(want, u, command); err != nil {
			return err
		}
		picked[u.index] = true
	}
	for _, nu := range native {
		if err := checkSwitched(want, got, nu, command); err != nil {
			return err
		}
		picked[nu.index] = true
		wasWrapped[nu.index] = nu.wrapped
	}
	if !reflect.DeepEqual(normalize(want, plain), normalize(got, plain)) {
		return layoutError(firstUser(plain, native), "the result would mean more than the intended change")
	}
	d2, err := parse(out)
	if err != nil {
		return fmt.Errorf("internal error: the result does not parse: %w", err)
	}
	back, _, err := d2.restore(func(u *execUser) bool { return picked[u.index] })
	if err != nil {
		return layoutError(firstUser(plain, native), "the result could not be restored byte for byte")
	}
	expect, _, err := d.restore(func(u *execUser) bool { return wasWrapped[u.index] })
	if err != nil || !bytes.Equal(back, expect) {
		return layoutError(firstUser(plain, native), "the result could not be restored byte for byte")
	}
	return nil
}

// checkSwitched checks one switched user's exec fields, then removes them
// from both documents so that the rest can be compared whole.
func checkSwitched(want, got any, nu *nativeUser, command string) error {
	w, g := execOf(want, nu.index), execOf(got, nu.index)
	if w == nil || g == nil {
		return layoutError(nu.execUser, "the result could not be read back")
	}
	wantCmd := any(command)
	if nu.wrapped {
		wantCmd = w["command"]
	}
	args := make([]any, len(nu.args))
	for i, a := range nu.args {
		args[i] = a
	}
	ours := []any{map[string]any{"name": MarkerEnv, "value": nu.marker}}
	if users := envNamed(list(w["env"]), execcred.UserEnv); len(users) > 0 {
		ours = append(users, ours...)
	} else {
		ours = append(envList([]envEntry{{execcred.UserEnv, nu.name}}), ours...)
	}
	gotOurs := append(envNamed(list(g["env"]), execcred.UserEnv), envNamed(list(g["env"]), MarkerEnv)...)
	switch {
	case g["command"] != wantCmd,
		!reflect.DeepEqual(g["args"], args),
		!reflect.DeepEqual(gotOurs, ours),
		!sameList(envNot(list(g["env"])), envNot(list(w["env"]))):
		return layoutError(nu.execUser, "the result would mean more than the intended change")
	}
	for _, k := range []string{"command", "args", "env"} {
		delete(w, k)
		delete(g, k)
	}
	return nil
}

// envNamed returns the entries of env with the given name.
func envNamed(env []any, name string) []any {
	var out []any
	for _, e := range env {
		if m, ok := e.(map[string]any); ok && m["name"] == name {
			out = append(out, e)
		}
	}
	return out
}

// envNot returns the entries of env that are not kcc-cache's.
func envNot(env []any) []any {
	var out []any
	for _, e := range env {
		if m, ok := e.(map[string]any); ok && (m["name"] == execcred.UserEnv || m["name"] == MarkerEnv) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func sameList(a, b []any) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func firstUser(plain []*execUser, native []*nativeUser) *execUser {
	if len(plain) > 0 {
		return plain[0]
	}
	return native[0].execUser
}
