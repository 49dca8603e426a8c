package saml

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	roleA = "arn:aws:iam::111111111111:role/dev"
	idpA  = "arn:aws:iam::111111111111:saml-provider/idp"
	roleB = "arn:aws:iam::222222222222:role/path/ops"
	idpB  = "arn:aws:iam::222222222222:saml-provider/idp"
)

// response is a SAMLResponse with status and the attributes given.
func response(status string, attrs map[string][]string, extra string) string {
	var b strings.Builder
	b.WriteString(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">`)
	fmt.Fprintf(&b, `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:%s"/></samlp:Status>`, status)
	b.WriteString(extra + `<saml:Assertion><saml:AttributeStatement>`)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range attrs {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, `<saml:Attribute Name=%q>`, name)
		for _, v := range attrs[name] {
			fmt.Fprintf(&b, `<saml:AttributeValue xsi:type="xs:string"> %s </saml:AttributeValue>`, v)
		}
		b.WriteString(`</saml:Attribute>`)
	}
	b.WriteString(`</saml:AttributeStatement></saml:Assertion></samlp:Response>`)
	return base64.StdEncoding.EncodeToString([]byte(b.String()))
}

func TestParseAssertion(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       string
		roles    []Role
		session  string
		duration time.Duration
		err      string
	}{
		{"both orders, duplicates once, bad values skipped", response("Success", map[string][]string{
			AttrRole:                            {roleA + "," + idpA, idpB + "," + roleB, roleA + "," + idpA, "not-a-role", roleA + "," + roleB},
			AttrRoleSessionName:                 {"alice"},
			AttrSessionDuration:                 {"7200"},
			"urn:oid:0.9.2342.19200300.100.1.1": {"alice"},
		}, ""), []Role{{roleA, idpA}, {roleB, idpB}}, "alice", 2 * time.Hour, ""},
		{"no role attribute", response("Success", map[string][]string{AttrRoleSessionName: {"bob"}}, ""), nil, "", 0, "grants no AWS role"},
		{"only bad role values", response("Success", map[string][]string{AttrRole: {"x,y"}}, ""), nil, "", 0, "grants no AWS role"},
		{"failed status", response("Responder", map[string][]string{AttrRole: {roleA + "," + idpA}}, ""), nil, "", 0, "SAML status urn:oasis:names:tc:SAML:2.0:status:Responder"},
		{"encrypted", response("Success", nil, `<saml:EncryptedAssertion/>`), nil, "", 0, "is encrypted"},
		{"not base64", "<xml>", nil, "", 0, "not base64"},
		{"not XML", base64.StdEncoding.EncodeToString([]byte("<a><b></a>")), nil, "", 0, "not XML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAssertion(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Roles, tc.roles) || a.SessionName != tc.session || a.SessionDuration != tc.duration {
				t.Errorf("got %+v, want roles %v, session %q, duration %s", a, tc.roles, tc.session, tc.duration)
			}
		})
	}
	if _, err := ParseAssertion(response("Success", nil, "")); !errors.Is(err, ErrNoRoles) {
		t.Errorf("no roles: %v is not ErrNoRoles", err)
	}
}

func TestChooseRoles(t *testing.T) {
	roles := []Role{{roleA, idpA}, {roleB, idpB}}
	for _, tc := range []struct {
		name, arn, filter string
		want              []Role
		err               string
	}{
		{"all", "", "", roles, ""},
		{"by ARN", roleB, "", roles[1:], ""},
		{"filter", "", "111111111111", roles[:1], ""},
		{"ARN not granted", "arn:aws:iam::111111111111:role/other", "", nil, "is not among the roles the SAML assertion grants (" + roleA + ", " + roleB + ")"},
		{"filter matching none", "", "prod", nil, `--role-filter "prod" matches none`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ChooseRoles(roles, tc.arn, tc.filter)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	if r := roles[1]; r.Account() != "222222222222" || r.Name() != "ops" {
		t.Errorf("Account, Name = %q, %q", r.Account(), r.Name())
	}
}

// TestFormLoginPageShapes runs FormLogin against a local stand-in of IdP
// page shapes the real IdP of the end-to-end test (crewjam/saml) does not
// produce: a consent page with hidden inputs only (auto-posted), a login
// form whose first text input is not the username, a form action relative
// to the page. The stand-in checks the credentials it receives and that the
// password goes to the login form's action only.
func TestFormLoginPageShapes(t *testing.T) {
	const user, password = "alice", "s3cret-pw"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		if r.URL.Path != "/idp/login" && r.Form.Get("pw") != "" {
			t.Errorf("the password was sent to %s", r.URL.Path)
		}
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, "/idp/step", http.StatusFound)
		case "/idp/step":
			fmt.Fprint(w, `<html><body onload="document.forms[0].submit()"><form method="post" action="/idp/form"><input type="hidden" name="state" value="s1"><noscript><input type="submit" value="Go"></noscript></form></body></html>`)
		case "/idp/form":
			if r.Form.Get("state") != "s1" {
				t.Errorf("state %q", r.Form.Get("state"))
			}
			fmt.Fprint(w, `<html><title>Sign in</title><form method="post" action="login"><input name="otp-hint" value="x"><input type="email" name="j_username"><input type="password" name="pw"><input type="hidden" name="csrf" value="c1"><input type="checkbox" name="remember"><button name="action" value="signin">Sign in</button></form></html>`)
		case "/idp/login":
			if r.Form.Get("j_username") != user || r.Form.Get("pw") != password || r.Form.Get("csrf") != "c1" || r.Form.Get("otp-hint") != "x" || r.Form.Has("remember") || r.Form.Get("action") != "signin" {
				t.Errorf("login form posted %v", r.Form)
			}
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "ok", Path: "/"})
			fmt.Fprint(w, `<html><p>Logged in</p></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	// After the login page without a form, FormLogin goes back to the start
	// with the session cookie: serve the SAMLResponse there then.
	mux := http.NewServeMux()
	mux.Handle("/", srv.Config.Handler)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("sid"); err == nil && c.Value == "ok" && r.URL.Path == "/start" {
			fmt.Fprint(w, `<form method="post" action="https://signin.aws.amazon.com/saml"><input type="hidden" name="SAMLResponse" value="UkVTUE9OU0U="></form>`)
			return
		}
		mux.ServeHTTP(w, r)
	})
	got, err := FormLogin{StartURL: srv.URL + "/start"}.Assertion(context.Background(), Credentials{user, password})
	if err != nil || got != "UkVTUE9OU0U=" {
		t.Fatalf("Assertion = %q, %v", got, err)
	}

	for _, tc := range []struct{ name, url, want string }{
		{"not a URL", "ftp://x", "want an http(s) URL"},
		{"error page", srv.URL + "/missing?token=abc", "answered 404 Not Found at " + srv.URL + "/missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FormLogin{StartURL: tc.url}.Assertion(context.Background(), Credentials{user, password})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "abc") {
				t.Errorf("err %v, want %q without the query", err, tc.want)
			}
		})
	}
}
