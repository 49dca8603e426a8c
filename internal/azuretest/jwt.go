package azuretest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const keyID = "kcc-azuretest"

// Claims are what Verify found in a token.
type Claims struct {
	Issuer   string
	Audience string
	Subject  string
	Tenant   string
	ObjectID string
	AppID    string
	UPN      string
	Expiry   time.Time
}

type tokenClaims struct {
	jwt.Claims
	Tenant   string `json:"tid"`
	ObjectID string `json:"oid"`
	AppID    string `json:"appid"`
	UPN      string `json:"upn"`
}

func (e *Entra) sign(claims map[string]any) (string, error) {
	for k, v := range claims {
		if v == nil {
			delete(claims, k)
		}
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: e.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", keyID))
	if err != nil {
		return "", err
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// Verify checks a bearer token as an Entra ID resource does: an RS256
// signature by the stand-in's key, its issuer, audience and expiry.
func (e *Entra) Verify(token, audience string) (Claims, error) {
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return Claims{}, fmt.Errorf("not a JWT: %w", err)
	}
	var c tokenClaims
	if err := parsed.Claims(&e.key.PublicKey, &c); err != nil {
		return Claims{}, fmt.Errorf("bad signature: %w", err)
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: e.Issuer(), AnyAudience: jwt.Audience{audience}, Time: time.Now()}, 0); err != nil {
		return Claims{}, fmt.Errorf("token for audience %q from %q refused: %w", audience, e.Issuer(), err)
	}
	out := Claims{Issuer: c.Issuer, Subject: c.Subject, Tenant: c.Tenant, ObjectID: c.ObjectID, AppID: c.AppID, UPN: c.UPN}
	if len(c.Audience) > 0 {
		out.Audience = c.Audience[0]
	}
	if c.Expiry != nil {
		out.Expiry = c.Expiry.Time()
	}
	return out, nil
}

// objectID is a stable object id for a client or a user.
func objectID(client, user string) string {
	sum := sha256.Sum256([]byte(client + "\x00" + user))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func base64URL(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
