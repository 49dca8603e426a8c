package secretservice

import (
	"testing"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
)

// Another kcc-cache may delete an item between our search and our read; that
// item is skipped (List) or missing (Get), not an error.
func TestSecretServiceItemVanishing(t *testing.T) {
	k, s, _ := sessionStore(t)
	key := keyringtest.NewKey(t)
	if err := k.Put(keyringtest.NewRecord(key, "gone soon", 1)); err != nil {
		t.Fatal(err)
	}
	items, _, err := s.search(key)
	if err != nil || len(items) != 1 {
		t.Fatalf("search: %v, %v", items, err)
	}
	keyringtest.SecretTool(t, "", "clear", "service", attrService, "key", key)

	_, attrsErr := s.call(items[0], ssProps+".Get", "ss", ssItem, "Attributes")
	_, secretErr := s.call(items[0], ssItem+".GetSecret", "o", s.session)
	tests := map[string]error{
		"attributes": attrsErr,
		"secret":     secretErr,
		"delete":     s.deleteItems(items),
	}
	for name, err := range tests {
		if name == "delete" {
			if err != nil {
				t.Errorf("deleting a vanished item: %v, want nil", err)
			}
			continue
		}
		if !vanished(err) {
			t.Errorf("%s of a deleted item: %v, want it recognised as vanished", name, err)
		}
	}
}
