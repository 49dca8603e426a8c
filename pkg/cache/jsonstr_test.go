package cache

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// marshalReference is how Key encoded the identity before canonical existed.
func marshalReference(t *testing.T, id Identity) []byte {
	t.Helper()
	env := make([][]string, 0, len(id.Env))
	for _, e := range id.Env {
		if e.Set {
			env = append(env, []string{e.Name, e.Value})
		} else {
			env = append(env, []string{e.Name})
		}
	}
	b, err := json.Marshal([]any{keyFormat, id.Argv, env, id.APIVersion, id.Server})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Keys written by earlier versions must still be found: the identity of
// test/e2e/testdata/legacy-cache.json, made by the last version that used
// json.Marshal, has this key there.
func TestKeyIsJSONMarshals(t *testing.T) {
	env := map[string]string{execcred.UserEnv: "legacy-a"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	keyEnv := strings.Split("KUBE_CREDENTIAL_CACHE_USER,AWS_PROFILE,AWS_REGION,AWS_DEFAULT_REGION,AWS_VAULT,AWS_ROLE_ARN,AWS_ACCESS_KEY_ID,AWS_CONFIG_FILE,AWS_SHARED_CREDENTIALS_FILE,CLOUDSDK_CONFIG,GOOGLE_APPLICATION_CREDENTIALS,AZURE_CONFIG_DIR", ",")
	id := NewIdentity([]string{"kcc-e2e-legacy-plugin"}, lookup, keyEnv, ExecInfo{APIVersion: execcred.APIVersionV1beta1})
	if got, want := id.Key(), "7dfbeced86b12b4a92196e8437fc0f086bf9c3431104f127a4c74191dc391f4e"; got != want {
		t.Fatalf("key %s, the old version's %s", got, want)
	}
	for _, id := range []Identity{
		{},
		{Argv: []string{}, Env: []EnvVar{}},
		{Argv: []string{"a\"b\\c", "<&>", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "é日本"}, Env: []EnvVar{{Name: "A", Value: "\t\n\r\b\f", Set: true}, {Name: "B"}, {Name: "C", Set: true}}, APIVersion: "v", Server: "https://x/?a=1&b=<2>"},
	} {
		if got, want := id.canonical(), marshalReference(t, id); !bytes.Equal(got, want) {
			t.Errorf("canonical %s, json.Marshal %s", got, want)
		}
	}
}

// FuzzCanonical: for any strings, the hand encoding is json.Marshal's.
func FuzzCanonical(f *testing.F) {
	f.Add("aws", "eks", "AWS_PROFILE", "prod", true, "https://x", "<&>\u2028\xff")
	f.Fuzz(func(t *testing.T, a0, a1, name, value string, set bool, server, odd string) {
		id := Identity{
			Argv:       []string{a0, a1, odd},
			Env:        []EnvVar{{Name: name, Value: value, Set: set}, {Name: odd, Value: odd, Set: !set}},
			APIVersion: odd,
			Server:     server,
		}
		if got, want := id.canonical(), marshalReference(t, id); !bytes.Equal(got, want) {
			t.Fatalf("canonical %q, json.Marshal %q", got, want)
		}
	})
}
