package oidcop

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Browser acts as a user's browser on the provider's pages: it follows
// redirects with cookies, submits the login forms as they are served, and
// lands on wherever the provider sends it (kcc-oidc's loopback listener).
type Browser struct {
	client *http.Client
	// Landed is the last URL loaded, and Body its page.
	Landed string
	Body   string
}

// NewBrowser is a browser with an empty cookie jar.
func NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	b := &Browser{}
	b.client = &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			// An out-of-band redirect (urn:ietf:params:oauth:2.0:oob):
			// a browser would show it; stop and keep it.
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// Login loads authURL, fills the provider's login form with user and
// password and submits it, then follows the provider to the redirect URI.
func (b *Browser) Login(ctx context.Context, authURL, user, password string) error {
	if err := b.get(ctx, authURL); err != nil {
		return err
	}
	action, hidden, err := form(b.Landed, b.Body)
	if err != nil {
		return err
	}
	hidden.Set("username", user)
	hidden.Set("password", password)
	return b.post(ctx, action, hidden)
}

// OutOfBandCode is the code of the last out-of-band redirect (authcode-keyboard).
func (b *Browser) OutOfBandCode() (string, error) {
	u, err := url.Parse(b.Landed)
	if err != nil || u.Query().Get("code") == "" {
		return "", fmt.Errorf("the provider did not redirect out of band with a code (landed on %s)", b.Landed)
	}
	return u.Query().Get("code"), nil
}

// Device approves (allow) or denies the device login of userCode at
// verificationURI, signing in as user.
func (b *Browser) Device(ctx context.Context, verificationURI, userCode, user, password string, allow bool) error {
	q := url.Values{"user_code": {userCode}}
	if err := b.post(ctx, verificationURI, q); err != nil {
		return err
	}
	action, fields, err := form(b.Landed, b.Body)
	if err != nil {
		return err
	}
	fields.Set("username", user)
	fields.Set("password", password)
	if err := b.post(ctx, action, fields); err != nil {
		return err
	}
	// The confirm page's buttons go to ./confirm?action=allowed|denied.
	choice := "denied"
	if allow {
		choice = "allowed"
	}
	if !strings.Contains(b.Body, "./confirm?action="+choice) {
		return fmt.Errorf("no %s button on the confirm page:\n%s", choice, b.Body)
	}
	confirm, err := resolve(b.Landed, "./confirm?action="+choice)
	if err != nil {
		return err
	}
	return b.get(ctx, confirm)
}

func (b *Browser) get(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	return b.do(req)
}

func (b *Browser) post(ctx context.Context, u string, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *Browser) do(req *http.Request) error {
	resp, err := b.client.Do(req)
	if err != nil {
		return fmt.Errorf("browser: %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.Landed, b.Body = resp.Request.URL.String(), string(body)
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
		b.Landed = loc
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("browser: %s %s: %s: %s", req.Method, resp.Request.URL.Redacted(), resp.Status, strings.TrimSpace(b.Body))
	}
	return nil
}

var (
	formAction  = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)
	formNoAct   = regexp.MustCompile(`<form[^>]*>`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// form returns where the page's form posts and its hidden fields.
func form(page, body string) (string, url.Values, error) {
	action := ""
	if m := formAction.FindStringSubmatch(body); m != nil {
		action = html.UnescapeString(m[1])
	} else if !formNoAct.MatchString(body) {
		return "", nil, errors.New("browser: no form on " + page + ":\n" + body)
	}
	fields := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		fields.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	target, err := resolve(page, action)
	return target, fields, err
}

func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}
