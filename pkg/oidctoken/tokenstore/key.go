package tokenstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
)

// Identity is every input that changes whose tokens a login gives: two
// get-token command lines share stored tokens only when all of it is equal.
type Identity struct {
	IssuerURL string
	ClientID  string
	Scopes    []string // order does not matter
	// Username is the password grant's user; a browser login's user is
	// whoever signs in, as with kubelogin.
	Username string
	// ClientGrant is true for client-credentials: the tokens are the
	// client's own, never a user's, so they never share a key with a login.
	ClientGrant bool
	// ExtraParams can select another connector, tenant or audience at the
	// provider, so they are part of the identity.
	ExtraParams map[string]string
	// KubeconfigUser is KUBE_CREDENTIAL_CACHE_USER: two kubeconfig users
	// with the same flags are two logins (an admin and a daily account at
	// one provider), where kubelogin needs a --token-cache-dir each.
	KubeconfigUser string
}

// Key is the hex sha256 of a canonical encoding of id, in a namespace of its
// own so that it never equals a kcc-cache key in the same store.
func (id Identity) Key() string {
	scopes := slices.Clone(id.Scopes)
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	params := make([][2]string, 0, len(id.ExtraParams))
	for _, k := range slices.Sorted(maps.Keys(id.ExtraParams)) {
		params = append(params, [2]string{k, id.ExtraParams[k]})
	}
	canon, _ := json.Marshal([]any{"kcc-oidc/v1", id.IssuerURL, id.ClientID, scopes, id.Username, id.ClientGrant, params, id.KubeconfigUser})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}
