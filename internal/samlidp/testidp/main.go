// Command testidp is a real SAML 2.0 identity provider for kcc-connect's
// tests: crewjam/saml's samlidp (its own login form, sessions, IdP-initiated
// /login/{shortcut} and signed assertions), with a session provider that
// adds the attributes AWS reads (Role, RoleSessionName, SessionDuration) per
// user. It is a module of its own so that kcc's module does not depend on
// crewjam/saml.
//
// Usage: testidp -listen 127.0.0.1:PORT -config users.json
//
// users.json: {"users": [{"name": "alice", "password": "...", "roles":
// ["arn:aws:iam::A:role/R,arn:aws:iam::A:saml-provider/P", ...],
// "session_duration": 3600}]}. The service provider is AWS
// (urn:amazon:webservices, ACS https://signin.aws.amazon.com/saml) with
// unsigned metadata and no encryption key, so the assertion is not
// encrypted; its IdP-initiated start URL is /login/aws. Admin endpoints are
// open: it listens on 127.0.0.1 only.
package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlidp"
)

// The attributes AWS reads from the assertion.
const (
	attrRole            = "https://aws.amazon.com/SAML/Attributes/Role"
	attrRoleSessionName = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	attrSessionDuration = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
)

// awsMetadata is AWS's SP metadata, reduced to what samlidp needs, without
// a signature or a KeyDescriptor (so nothing is encrypted).
const awsMetadata = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:amazon:webservices">` +
	`<SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
	`<AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://signin.aws.amazon.com/saml"/>` +
	`</SPSSODescriptor></EntityDescriptor>`

type user struct {
	Name            string   `json:"name"`
	Password        string   `json:"password"`
	Roles           []string `json:"roles"`
	SessionDuration int      `json:"session_duration"`
}

type config struct {
	Users []user `json:"users"`
}

// awsSessions adds the AWS attributes of the session's user.
type awsSessions struct {
	inner *samlidp.Server
	users map[string]user
}

func (p awsSessions) GetSession(w http.ResponseWriter, r *http.Request, req *saml.IdpAuthnRequest) *saml.Session {
	s := p.inner.GetSession(w, r, req)
	if s == nil {
		return nil
	}
	u := p.users[s.UserName]
	attr := func(name string, values ...string) saml.Attribute {
		a := saml.Attribute{Name: name, NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Type: "xs:string", Value: v})
		}
		return a
	}
	s.CustomAttributes = []saml.Attribute{attr(attrRoleSessionName, u.Name)}
	if len(u.Roles) > 0 {
		s.CustomAttributes = append(s.CustomAttributes, attr(attrRole, u.Roles...))
	}
	if u.SessionDuration > 0 {
		s.CustomAttributes = append(s.CustomAttributes, attr(attrSessionDuration, strconv.Itoa(u.SessionDuration)))
	}
	return s
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	configFile := flag.String("config", "", "users JSON file")
	flag.Parse()
	if err := run(*listen, *configFile); err != nil {
		log.Fatal(err)
	}
}

func run(listen, configFile string) error {
	b, err := os.ReadFile(configFile)
	if err != nil {
		return err
	}
	var cfg config
	if err := json.Unmarshal(b, &cfg); err != nil {
		return fmt.Errorf("%s: %w", configFile, err)
	}
	base, err := url.Parse("http://" + listen)
	if err != nil {
		return err
	}
	key, cert, err := newKeyPair()
	if err != nil {
		return err
	}
	idp, err := samlidp.New(samlidp.Options{URL: *base, Key: key, Certificate: cert, Store: &samlidp.MemoryStore{}})
	if err != nil {
		return err
	}
	users := map[string]user{}
	for _, u := range cfg.Users {
		users[u.Name] = u
		body, _ := json.Marshal(map[string]any{"name": u.Name, "password": u.Password, "email": u.Name + "@example.com"})
		if err := put(idp, "/users/"+u.Name, body); err != nil {
			return err
		}
	}
	if err := put(idp, "/services/aws", []byte(awsMetadata)); err != nil {
		return err
	}
	if err := put(idp, "/shortcuts/aws", []byte(`{"name":"aws","service_provider":"urn:amazon:webservices"}`)); err != nil {
		return err
	}
	idp.IDP.SessionProvider = awsSessions{inner: idp, users: users}
	srv := &http.Server{Addr: listen, Handler: idp, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// put calls one of samlidp's admin endpoints in process.
func put(idp *samlidp.Server, path string, body []byte) error {
	rec := httptest.NewRecorder()
	idp.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, path, bytes.NewReader(body)))
	if rec.Code/100 != 2 {
		return fmt.Errorf("PUT %s: HTTP %d: %s", path, rec.Code, rec.Body)
	}
	return nil
}

// newKeyPair is a throwaway signing key and its self-signed certificate.
func newKeyPair() (*rsa.PrivateKey, *x509.Certificate, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "kcc testidp"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, err
}
