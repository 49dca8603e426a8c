// Package httpsonly is an http.Client that follows redirects only to
// https:// URLs: a fetch that must not be changed on the way (a team's
// defaults, the release feed) must not be sent to plain http:// by a
// redirect either.
package httpsonly

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Client is a copy of c (nil: http.DefaultClient) whose redirects to
// anything but https:// fail with an error naming where they led (user
// info and query left out: either may be a token). c's own CheckRedirect,
// else Go's limit of 10 redirects, still applies.
func Client(c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	out := *c
	next := c.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to %s, which is not https://", Shown(req.URL))
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &out
}

// Shown is u as messages show it: without user info, query and fragment.
func Shown(u *url.URL) string {
	v := *u
	v.User = nil
	if v.RawQuery != "" || v.ForceQuery {
		v.RawQuery, v.ForceQuery = "...", false
	}
	v.Fragment, v.RawFragment = "", ""
	return v.String()
}
