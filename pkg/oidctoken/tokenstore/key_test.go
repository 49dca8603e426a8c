package tokenstore

import "testing"

// TestKeyInputs: every input of Identity changes the key; the order of the
// scopes does not.
func TestKeyInputs(t *testing.T) {
	base := Identity{IssuerURL: "https://i.example/", ClientID: "kube", Scopes: []string{"email", "groups"}, ExtraParams: map[string]string{"a": "1"}}
	variants := map[string]func(id *Identity){
		"issuer":       func(id *Identity) { id.IssuerURL = "https://other.example/" },
		"client":       func(id *Identity) { id.ClientID = "other" },
		"scopes":       func(id *Identity) { id.Scopes = []string{"email"} },
		"username":     func(id *Identity) { id.Username = "alice" },
		"client grant": func(id *Identity) { id.ClientGrant = true },
		"extra params": func(id *Identity) { id.ExtraParams = map[string]string{"a": "2"} },
		"param name":   func(id *Identity) { id.ExtraParams = map[string]string{"b": "1"} },
		"kube user":    func(id *Identity) { id.KubeconfigUser = "admin" },
	}
	seen := map[string]string{base.Key(): "base"}
	for name, change := range variants {
		id := base
		change(&id)
		k := id.Key()
		if other, dup := seen[k]; dup {
			t.Errorf("%s gives the same key as %s", name, other)
		}
		seen[k] = name
	}
	reordered := base
	reordered.Scopes = []string{"groups", "email", "email"}
	if reordered.Key() != base.Key() {
		t.Error("the scopes' order or repetition changed the key")
	}
	if len(base.Key()) != 64 {
		t.Errorf("key %q is not a hex sha256", base.Key())
	}
}
