package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// fakeOP is a provider that answers the authorization code grant at once
// (no login page) with an id_token made wrong in one way, to test what
// kcc-oidc refuses. The real provider (oidcop) never issues such tokens.
type fakeOP struct {
	*httptest.Server
	key, other *rsa.PrivateKey
	mutate     func(c map[string]any) // changes the claims before signing
	signOther  bool                   // sign with a key not in the JWKS
	accessHash string                 // at_hash to claim, "" for the right one

	mu     sync.Mutex
	nonces map[string]string // code → nonce
}

func newFakeOP(t *testing.T) *fakeOP {
	t.Helper()
	op := &fakeOP{key: rsaKey(t), other: rsaKey(t), nonces: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("/keys", op.keys)
	mux.HandleFunc("/auth", op.auth)
	mux.HandleFunc("/token", op.token)
	op.Server = httptest.NewServer(mux)
	t.Cleanup(op.Close)
	return op
}

func rsaKey(t *testing.T) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (op *fakeOP) issuer() string { return op.URL + "/" }

func (op *fakeOP) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSONBody(w, map[string]any{
		"issuer": op.issuer(), "authorization_endpoint": op.URL + "/auth", "token_endpoint": op.URL + "/token",
		"jwks_uri": op.URL + "/keys", "id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
	})
}

func (op *fakeOP) keys(w http.ResponseWriter, _ *http.Request) {
	writeJSONBody(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &op.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

// auth redirects straight back with a code, remembering the nonce.
func (op *fakeOP) auth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := "code-" + q.Get("state")[:8]
	op.mu.Lock()
	op.nonces[code] = q.Get("nonce")
	op.mu.Unlock()
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
}

func (op *fakeOP) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	op.mu.Lock()
	nonce := op.nonces[r.PostForm.Get("code")]
	op.mu.Unlock()
	access := "access-token-value"
	sum := sha256.Sum256([]byte(access))
	atHash := base64.RawURLEncoding.EncodeToString(sum[:16])
	if op.accessHash != "" {
		atHash = op.accessHash
	}
	now := time.Now()
	c := map[string]any{
		"iss": op.issuer(), "sub": "user-1", "aud": r.PostForm.Get("client_id"), "nonce": nonce,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "at_hash": atHash,
	}
	if op.mutate != nil {
		op.mutate(c)
	}
	key := op.key
	if op.signOther {
		key = op.other
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	payload, _ := json.Marshal(c)
	obj, err := signer.Sign(payload)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	idToken, _ := obj.CompactSerialize()
	writeJSONBody(w, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": idToken})
}

func writeJSONBody(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// TestTokenVerification: kcc-oidc prints and stores an id_token only when
// its signature, issuer, audience, expiry, nonce and at_hash hold.
func TestTokenVerification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(op *fakeOP)
		want  string // "" for success
	}{
		{"valid", func(*fakeOP) {}, ""},
		{"signed by another key", func(op *fakeOP) { op.signOther = true }, "the provider's id_token is not valid: failed to verify signature"},
		{"another audience", func(op *fakeOP) { op.mutate = func(c map[string]any) { c["aud"] = "another-client" } }, "expected audience \"native\""},
		{"another issuer", func(op *fakeOP) { op.mutate = func(c map[string]any) { c["iss"] = "https://elsewhere.example/" } }, "issued by a different provider"},
		{"expired", func(op *fakeOP) { op.mutate = func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() } }, "token is expired"},
		{"another nonce", func(op *fakeOP) { op.mutate = func(c map[string]any) { c["nonce"] = "replayed" } }, "its nonce is not the one sent"},
		{"no nonce", func(op *fakeOP) { op.mutate = func(c map[string]any) { delete(c, "nonce") } }, "its nonce is not the one sent"},
		{"another at_hash", func(op *fakeOP) { op.accessHash = "AAAAAAAAAAAAAAAAAAAAAA" }, "access token hash does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op := newFakeOP(t)
			tt.setup(op)
			f := newFixture(t)
			f.openURL = plainGet
			r := f.run("get-token", "--oidc-issuer-url", op.issuer(), "--oidc-client-id", "native", "--listen-address", "127.0.0.1:0")
			if tt.want == "" {
				credential(t, r)
				return
			}
			wantOneLine(t, r, 1, tt.want)
			if f.storedEntries() != 0 {
				t.Error("an invalid id_token was stored")
			}
		})
	}
}

// plainGet follows the redirects of u, as a browser with nothing to fill in.
func plainGet(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
