package azuretest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func (e *Entra) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.tenant(e.openidConfiguration))
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", e.tenant(e.keys))
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.tenant(e.token))
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", e.tenant(e.deviceCode))
	return mux
}

// tenant refuses any tenant but the one served, as Entra does
// (AADSTS90002).
func (e *Entra) tenant(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("tenant") != e.Tenant {
			oauthError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("AADSTS90002: Tenant '%s' not found.", r.PathValue("tenant")))
			return
		}
		h(w, r)
	}
}

func (e *Entra) openidConfiguration(w http.ResponseWriter, r *http.Request) {
	e.count("openid-configuration")
	base := e.URL + "/" + e.Tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                e.Issuer(),
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"tenant_region_scope":                   "EU",
	})
}

func (e *Entra) keys(w http.ResponseWriter, r *http.Request) {
	e.count("keys")
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &e.key.PublicKey, KeyID: keyID, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

func (e *Entra) deviceCode(w http.ResponseWriter, r *http.Request) {
	e.count("devicecode")
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "AADSTS900144: the request body could not be read")
		return
	}
	id := r.PostForm.Get("client_id")
	e.mu.Lock()
	known := e.public[id]
	e.mu.Unlock()
	if !known {
		oauthError(w, http.StatusBadRequest, "unauthorized_client", fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory.", id))
		return
	}
	if _, err := resource(r.PostForm.Get("scope")); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_scope", err.Error())
		return
	}
	code, user := randomString(), strings.ToUpper(randomString()[:9])
	e.mu.Lock()
	e.devices[code] = id
	e.mu.Unlock()
	verification := e.URL + "/devicelogin"
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":      code,
		"user_code":        user,
		"verification_uri": verification,
		"expires_in":       900,
		"interval":         1,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", verification, user),
	})
}

// token serves the token endpoint's grants: client credentials (secret or
// assertion), device code (approved at once) and refresh token.
func (e *Entra) token(w http.ResponseWriter, r *http.Request) {
	e.count("token")
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "AADSTS900144: the request body could not be read")
		return
	}
	f := r.PostForm
	aud, err := resource(f.Get("scope"))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_scope", err.Error())
		return
	}
	id := f.Get("client_id")
	switch f.Get("grant_type") {
	case "client_credentials":
		if msg := e.checkClient(id, f); msg != "" {
			oauthError(w, http.StatusUnauthorized, "invalid_client", msg)
			return
		}
		e.issue(w, id, aud, "", false)
	case "device_code", "urn:ietf:params:oauth:grant-type:device_code": // Entra takes both; MSAL sends the short one
		e.mu.Lock()
		owner, ok := e.devices[f.Get("device_code")]
		delete(e.devices, f.Get("device_code"))
		e.mu.Unlock()
		if !ok || owner != id {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "AADSTS70000: The provided value for the 'device_code' is not valid.")
			return
		}
		e.issue(w, id, aud, User, true)
	case "refresh_token":
		e.mu.Lock()
		owner, ok := e.refresh[f.Get("refresh_token")]
		e.mu.Unlock()
		if !ok || owner != id {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "AADSTS9002313: Invalid request. The refresh token is malformed or not valid.")
			return
		}
		e.issue(w, id, aud, User, true)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("AADSTS70003: The app requested an unsupported grant type '%s'.", f.Get("grant_type")))
	}
}

// checkClient authenticates a confidential client by its secret or its
// client assertion; the message never repeats what was sent.
func (e *Entra) checkClient(id string, f url.Values) string {
	e.mu.Lock()
	secret, hasSecret := e.clients[id]
	assertion, hasAssertion := e.federated[id]
	e.mu.Unlock()
	switch {
	case hasSecret && f.Get("client_secret") != "" && f.Get("client_secret") == secret:
		return ""
	case hasAssertion && f.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" && f.Get("client_assertion") == assertion:
		return ""
	case !hasSecret && !hasAssertion:
		return fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory.", id)
	case hasSecret:
		return fmt.Sprintf("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", id)
	default:
		return "AADSTS700213: No matching federated identity record found for presented assertion."
	}
}

// issue writes a token response for client id and audience aud; a user
// sign-in (user != "") also gets a refresh token, an ID token and
// client_info, as MSAL needs for its account.
func (e *Entra) issue(w http.ResponseWriter, id, aud, user string, refresh bool) {
	now := time.Now()
	oid := objectID(id, user)
	access, err := e.sign(map[string]any{
		"iss": e.Issuer(), "aud": aud, "sub": oid, "oid": oid, "tid": e.Tenant,
		"azp": id, "appid": id, "ver": "2.0", "upn": optional(user),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(e.Lifetime).Unix(),
	})
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	resp := map[string]any{
		"token_type":     "Bearer",
		"access_token":   access,
		"expires_in":     int(e.Lifetime / time.Second),
		"ext_expires_in": int(e.Lifetime / time.Second),
		"scope":          aud + "/.default",
	}
	if refresh {
		rt := randomString()
		e.mu.Lock()
		e.refresh[rt] = id
		e.mu.Unlock()
		idToken, err := e.sign(map[string]any{
			"iss": e.Issuer(), "aud": id, "sub": oid, "oid": oid, "tid": e.Tenant,
			"preferred_username": user, "name": user, "ver": "2.0",
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		})
		if err != nil {
			oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
			return
		}
		info, _ := json.Marshal(map[string]string{"uid": oid, "utid": e.Tenant})
		resp["refresh_token"] = rt
		resp["id_token"] = idToken
		resp["client_info"] = base64URL(info)
	}
	writeJSON(w, http.StatusOK, resp)
}

func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// resource is the audience a v2.0 scope asks for: the one scope ending in
// /.default, without that suffix (OpenID scopes MSAL adds are ignored).
// Its error is Entra's description, which ends with a full stop.
func resource(scope string) (string, error) {
	var found string
	for _, s := range strings.Fields(scope) {
		switch s {
		case "openid", "profile", "offline_access":
			continue
		}
		r, ok := strings.CutSuffix(s, "/.default")
		if !ok || r == "" || found != "" {
			return "", fmt.Errorf("AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", scope) //lint:ignore ST1005 Entra's words
		}
		found = r
	}
	if found == "" {
		return "", errors.New("AADSTS900144: The request body must contain the following parameter: 'scope'.") //lint:ignore ST1005 Entra's words
	}
	return found, nil
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": description,
		"error_codes":       []int{},
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          randomString(),
		"correlation_id":    randomString(),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
