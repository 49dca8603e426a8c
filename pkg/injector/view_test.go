package injector

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// kubectlView is what kubectl's YAML layer makes of a kubeconfig: clientcmd
// reads it with sigs.k8s.io/yaml (YAML 1.1, where an unquoted yes or on is a
// boolean) into JSON, then decodes that. The generic tree keeps every field;
// decoding the users into their typed shape fails where kubectl's would.
// It is the fuzz targets' oracle: pure and fast, unlike clientcmd.Load,
// whose scheme machinery runs in the property and golden tests instead.
func kubectlView(b []byte) (any, error) {
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(j, &tree); err != nil {
		return nil, err
	}
	var typed struct {
		Users []struct {
			Name string `json:"name"`
			User struct {
				Exec *struct {
					Command string   `json:"command"`
					Args    []string `json:"args"`
					Env     []struct {
						Name  string `json:"name"`
						Value string `json:"value"`
					} `json:"env"`
				} `json:"exec"`
			} `json:"user"`
		} `json:"users"`
	}
	if err := json.Unmarshal(j, &typed); err != nil {
		return nil, err
	}
	return tree, nil
}

// sameTreeButWrapped checks that after (the injected file's view) differs
// from before only in the command, args and env of the exec users Inject
// wrapped, and in the way Inject wraps them. It puts the wrapped fields back
// as it goes, so after is modified.
func sameTreeButWrapped(before, after any) error {
	bu, au := users(before), users(after)
	if len(bu) != len(au) {
		return fmt.Errorf("users: %d before, %d after", len(bu), len(au))
	}
	for i := range bu {
		if err := unwrapUser(bu[i], au[i]); err != nil {
			return fmt.Errorf("user %d: %w", i, err)
		}
	}
	if !reflect.DeepEqual(before, after) {
		return fmt.Errorf("kubectl reads more than the exec fields as changed:\nbefore %#v\nafter  %#v", before, after)
	}
	return nil
}

func users(tree any) []any {
	m, _ := tree.(map[string]any)
	u, _ := m["users"].([]any)
	return u
}

// unwrapUser checks one wrapped user of after against before and restores
// its exec fields to before's.
func unwrapUser(before, after any) error {
	bExec, aExec := treeExec(before), treeExec(after)
	if bExec == nil || aExec == nil {
		return nil
	}
	bCmd, _ := bExec["command"].(string)
	aCmd, _ := aExec["command"].(string)
	if bCmd == aCmd {
		return nil // not wrapped: must be equal as a whole
	}
	if aCmd != DefaultCommand {
		return fmt.Errorf("command %q, want %q", aCmd, DefaultCommand)
	}
	args := append([]any{bCmd}, items(bExec["args"])...)
	if !reflect.DeepEqual(items(aExec["args"]), args) {
		return fmt.Errorf("args %q, want %q", aExec["args"], args)
	}
	name, _ := before.(map[string]any)["name"].(string)
	env := items(aExec["env"])
	first := map[string]any{"name": execcred.UserEnv, "value": name}
	if len(env) == 0 || !reflect.DeepEqual(env[0], first) {
		return fmt.Errorf("env %v does not start with %v", env, first)
	}
	n := 1
	if len(env) > 1 {
		if e, ok := env[1].(map[string]any); ok && e["name"] == MarkerEnv {
			n = 2
		}
	}
	if rest, orig := env[n:], items(bExec["env"]); len(rest) != len(orig) || len(rest) > 0 && !reflect.DeepEqual(rest, orig) {
		return fmt.Errorf("env %v, want our entries then %v", env, bExec["env"])
	}
	for _, k := range []string{"command", "args", "env"} {
		if v, ok := bExec[k]; ok {
			aExec[k] = v
		} else {
			delete(aExec, k)
		}
	}
	return nil
}

func treeExec(u any) map[string]any {
	m, _ := u.(map[string]any)
	user, _ := m["user"].(map[string]any)
	exec, _ := user["exec"].(map[string]any)
	return exec
}

// items is a JSON array's items; absent or null is no items.
func items(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestKubectlViewCatches shows the fuzz oracle failing where it must: a
// change outside the wrapped fields, and a value kubectl's YAML 1.1 layer
// reads differently than written.
func TestKubectlViewCatches(t *testing.T) {
	const x = "kind: Config\nclusters:\n- name: c\n  cluster: {server: https://a}\nusers:\n- name: u\n  user:\n    exec:\n      command: aws\n"
	const wrapped = "      command: kcc-cache\n      args: [aws]\n      env: [{name: KUBE_CREDENTIAL_CACHE_USER, value: u}]\n"
	tests := []struct {
		name, y, want string
	}{
		{"correct", strings.Replace(x, "      command: aws\n", wrapped, 1), ""},
		{"server changed", strings.Replace(strings.Replace(x, "      command: aws\n", wrapped, 1), "https://a", "https://b", 1), "more than the exec fields"},
		{"user value read as a boolean", strings.Replace(x, "      command: aws\n", strings.Replace(wrapped, "value: u", "value: yes", 1), 1), "kubectl cannot read"},
		{"argument lost", strings.Replace(x, "      command: aws\n", strings.Replace(wrapped, "[aws]", "[]", 1), 1), "args"},
		{"other command", strings.Replace(x, "      command: aws\n", strings.Replace(wrapped, "kcc-cache", "other", 1), 1), "command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := kubectlView([]byte(x))
			if err != nil {
				t.Fatal(err)
			}
			err = errors.New("kubectl cannot read the injected file")
			if after, verr := kubectlView([]byte(tt.y)); verr == nil {
				err = sameTreeButWrapped(before, after)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("want no difference, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("want an error saying %q, got %v", tt.want, err)
			}
		})
	}
}
