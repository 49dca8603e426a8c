package saml

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
)

// Credentials are what the user types at the IdP's login form.
type Credentials struct {
	Username string
	Password string
}

// Login gets the base64 SAMLResponse an IdP hands to AWS. FormLogin is the
// generic one; IdPs whose login is not a plain HTML form (Okta's API, ADFS,
// Entra ID) are other implementations.
type Login interface {
	Assertion(ctx context.Context, c Credentials) (string, error)
}

// ErrRefused is returned (wrapped) when the IdP refuses the username or
// password.
var ErrRefused = errors.New("the identity provider refused the username or password")

// maxPage bounds one page read from the IdP.
const maxPage = 4 << 20

// maxSteps bounds the pages one login goes through.
const maxSteps = 20

// FormLogin is a generic IdP-initiated SAML 2.0 login, done as a browser
// does it: GET StartURL with a cookie jar, following redirects; fill the
// first form with a password input (its username input is the text or email
// input named like user, login or email, else the first one; hidden inputs
// are kept) and submit it; submit forms that have only hidden inputs (the
// auto-posting pages between IdP steps); when a page has no form after the
// login, GET StartURL again with the new session cookie; stop at the form
// that carries SAMLResponse (which is not posted: it is AWS's). It fits IdPs
// whose login is one HTML form: Keycloak, Shibboleth, SimpleSAMLphp,
// crewjam/saml.
type FormLogin struct {
	// StartURL is the IdP-initiated login URL of the AWS application.
	StartURL string
	// Client makes the requests; nil means a client with a 30 s timeout. A
	// fresh cookie jar is used either way.
	Client *http.Client
}

// Assertion logs in and returns the SAMLResponse.
func (l FormLogin) Assertion(ctx context.Context, c Credentials) (string, error) {
	client := &http.Client{}
	if l.Client != nil {
		*client = *l.Client
	}
	if client.Timeout == 0 {
		client.Timeout = defaultTimeout
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		return "", err
	}
	client.Jar = jar
	start, err := url.Parse(l.StartURL)
	if err != nil || (start.Scheme != "https" && start.Scheme != "http") || start.Host == "" {
		return "", fmt.Errorf("--idp-endpoint %q: want an http(s) URL", redact(l.StartURL))
	}
	page, err := get(ctx, client, http.MethodGet, start.String(), nil)
	submitted, restarted := false, false
	for range maxSteps {
		if err != nil {
			return "", err
		}
		forms := page.forms()
		if f := findForm(forms, func(f *form) bool { return f.has("SAMLResponse") }); f != nil {
			v := f.value("SAMLResponse")
			if v == "" {
				return "", fmt.Errorf("the identity provider's SAMLResponse at %s is empty", redact(page.url.String()))
			}
			return v, nil
		}
		if f := findForm(forms, func(f *form) bool { return f.password() != nil }); f != nil {
			if submitted {
				return "", fmt.Errorf("%w (it showed its login form again%s)", ErrRefused, page.note())
			}
			if err := f.fill(c); err != nil {
				return "", fmt.Errorf("the login form at %s: %w", redact(page.url.String()), err)
			}
			submitted = true
			page, err = f.submit(ctx, client)
			continue
		}
		if f := findForm(forms, (*form).hiddenOnly); f != nil {
			page, err = f.submit(ctx, client)
			continue
		}
		if submitted && !restarted {
			restarted = true
			page, err = get(ctx, client, http.MethodGet, start.String(), nil)
			continue
		}
		if !submitted {
			return "", fmt.Errorf("the identity provider's page at %s has no login form and no SAML response%s", redact(page.url.String()), page.note())
		}
		return "", fmt.Errorf("after the login, the identity provider's page at %s has no SAML response%s: is the AWS application assigned to this user?", redact(page.url.String()), page.note())
	}
	return "", fmt.Errorf("the identity provider sent more than %d pages without a SAML response", maxSteps)
}

// page is one HTML page the IdP answered.
type page struct {
	url  *url.URL
	doc  *html.Node
	text string // the first <p>, as a hint of why a form came back
}

// note is the page's title and first paragraph, for an error.
func (p *page) note() string {
	var parts []string
	if t := strings.TrimSpace(textOf(find(p.doc, "title"))); t != "" {
		parts = append(parts, fmt.Sprintf("title %q", clip(termtext.Clean(t))))
	}
	if t := strings.TrimSpace(p.text); t != "" {
		parts = append(parts, fmt.Sprintf("%q", clip(termtext.Clean(t))))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// get requests target and parses the answer; an HTTP error status is an
// error naming the page.
func get(ctx context.Context, client *http.Client, method, target string, form url.Values) (*page, error) {
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		u, err := url.Parse(target)
		if err != nil {
			return nil, err
		}
		u.RawQuery = form.Encode()
		target = u.String()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("the identity provider's form action %q: %w", redact(target), err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("could not reach the identity provider at %s: %v", redact(target), err)
	}
	defer resp.Body.Close()
	doc, perr := html.Parse(io.LimitReader(resp.Body, maxPage))
	p := &page{url: resp.Request.URL, doc: doc}
	if perr == nil {
		p.text = textOf(find(doc, "p"))
	}
	if resp.StatusCode >= 400 {
		return nil, fmt.Errorf("the identity provider answered %s at %s%s", resp.Status, redact(p.url.String()), p.note())
	}
	if perr != nil {
		return nil, fmt.Errorf("the identity provider's page at %s: %v", redact(p.url.String()), perr)
	}
	return p, nil
}

// redact is u without its query and fragment, which may carry tokens.
func redact(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// form is one HTML form of a page.
type form struct {
	page   *page
	action string
	method string
	inputs []*input
}

type input struct {
	name, typ, value string
	checked          bool
}

func (p *page) forms() []*form {
	var out []*form
	walk(p.doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "form" {
			return
		}
		f := &form{page: p, action: attr(n, "action"), method: strings.ToUpper(attr(n, "method"))}
		walk(n, func(c *html.Node) {
			if c.Type != html.ElementNode {
				return
			}
			switch c.Data {
			case "input", "button":
				typ := strings.ToLower(attr(c, "type"))
				if typ == "" {
					typ = "text"
					if c.Data == "button" {
						typ = "submit"
					}
				}
				_, checked := attrOK(c, "checked")
				f.inputs = append(f.inputs, &input{name: attr(c, "name"), typ: typ, value: attr(c, "value"), checked: checked})
			case "textarea":
				f.inputs = append(f.inputs, &input{name: attr(c, "name"), typ: "textarea", value: textOf(c)})
			}
		})
		out = append(out, f)
	})
	return out
}

func findForm(forms []*form, ok func(*form) bool) *form {
	for _, f := range forms {
		if ok(f) {
			return f
		}
	}
	return nil
}

func (f *form) has(name string) bool {
	for _, in := range f.inputs {
		if in.name == name {
			return true
		}
	}
	return false
}

func (f *form) value(name string) string {
	for _, in := range f.inputs {
		if in.name == name {
			return in.value
		}
	}
	return ""
}

func (f *form) password() *input {
	for _, in := range f.inputs {
		if in.typ == "password" && in.name != "" {
			return in
		}
	}
	return nil
}

// hiddenOnly: a form a browser's script would post by itself.
func (f *form) hiddenOnly() bool {
	n := 0
	for _, in := range f.inputs {
		switch in.typ {
		case "hidden":
			n++
		case "submit", "button", "image":
		default:
			return false
		}
	}
	return n > 0
}

// userNames match the name of a username input.
var userNames = regexp.MustCompile(`(?i)user|login|email|mail|name|principal|account|identifier`)

// fill sets the username and password inputs.
func (f *form) fill(c Credentials) error {
	var user *input
	for _, in := range f.inputs {
		if (in.typ == "text" || in.typ == "email") && in.name != "" {
			if user == nil || (!userNames.MatchString(user.name) && userNames.MatchString(in.name)) {
				user = in
			}
		}
	}
	if user == nil {
		return errors.New("no username input next to the password input")
	}
	user.value = c.Username
	f.password().value = c.Password
	return nil
}

// submit posts (or gets) the form as a browser does when its first submit
// button is pressed.
func (f *form) submit(ctx context.Context, client *http.Client) (*page, error) {
	target, err := f.page.url.Parse(f.action)
	if err != nil {
		return nil, fmt.Errorf("the identity provider's form action %q: %w", redact(f.action), err)
	}
	values := url.Values{}
	pressed := false
	for _, in := range f.inputs {
		if in.name == "" {
			continue
		}
		switch in.typ {
		case "submit", "image":
			if !pressed {
				pressed = true
				values.Add(in.name, in.value)
			}
		case "button", "reset", "file":
		case "checkbox", "radio":
			if in.checked {
				v := in.value
				if v == "" {
					v = "on"
				}
				values.Add(in.name, v)
			}
		default:
			values.Add(in.name, in.value)
		}
	}
	method := http.MethodPost
	if f.method == http.MethodGet {
		method = http.MethodGet
	}
	return get(ctx, client, method, target.String(), values)
}

func walk(n *html.Node, f func(*html.Node)) {
	if n == nil {
		return
	}
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func find(n *html.Node, tag string) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) {
		if found == nil && c.Type == html.ElementNode && c.Data == tag {
			found = c
		}
	})
	return found
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}
