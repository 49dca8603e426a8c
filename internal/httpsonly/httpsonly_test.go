package httpsonly

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func TestClientFollowsOnlyHTTPS(t *testing.T) {
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { plainHits.Add(1) }))
	t.Cleanup(plain.Close)
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-http":
			http.Redirect(w, r, strings.Replace(plain.URL, "http://", "http://user:SECRET@", 1)+"/x?token=SECRET", http.StatusFound)
		case "/to-https":
			http.Redirect(w, r, srv.URL+"/ok", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, srv.URL+"/loop", http.StatusFound)
		case "/ok":
			w.Write([]byte("ok"))
		}
	}))
	t.Cleanup(srv.Close)
	c := Client(srv.Client())

	resp, err := c.Get(srv.URL + "/to-https")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Fatalf("redirect to https: %q", body)
	}
	_, err = c.Get(srv.URL + "/to-http")
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the url.Error quotes the whole URL; callers show ue.Err
	}
	if err == nil || !strings.Contains(err.Error(), "redirected to "+plain.URL+"/x?..., which is not https://") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("redirect to http: %v", err)
	}
	if plainHits.Load() != 0 {
		t.Fatalf("%d requests over plain http", plainHits.Load())
	}
	if _, err := c.Get(srv.URL + "/loop"); err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("redirect loop: %v", err)
	}
	if srv.Client().CheckRedirect != nil {
		t.Fatal("Client changed the client it was given")
	}
}
