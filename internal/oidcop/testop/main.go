// Command testop is the zitadel/oidc example OpenID provider with what the
// installed example lacks for kcc-oidc's tests: a device-code client
// ("device", secret "secret"), an id_token lifetime to choose (the example's
// is an hour), an issuer that differs from the listen address (so that a
// proxy can sit in front), and a count of requests per endpoint. It is built
// by internal/oidcop from its own module, so that the project's go.mod does
// not carry the provider's dependencies.
//
// Environment: ISSUER (http://localhost:PORT/), LISTEN (127.0.0.1:PORT),
// REDIRECT_URI (comma-separated), ID_TOKEN_LIFETIME (a Go duration),
// WEB_SECRET (the "web" client's secret, default "secret").
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
)

func main() {
	issuer, listen := os.Getenv("ISSUER"), os.Getenv("LISTEN")
	redirects := strings.Split(os.Getenv("REDIRECT_URI"), ",")
	lifetime := time.Hour
	if v := os.Getenv("ID_TOKEN_LIFETIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			slog.Error("ID_TOKEN_LIFETIME", "error", err)
			os.Exit(2)
		}
		lifetime = d
	}
	storage.RegisterClients(
		storage.NativeClient("native", redirects...),
		storage.WebClient("web", webSecret(), redirects...),
		storage.DeviceClient("device", "secret"),
	)
	users := storage.NewUserStore(issuer)
	store := lifetimeStorage{Storage: storage.NewStorage(users), users: users, lifetime: lifetime}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := exampleop.SetupServer(issuer, store, logger, false)

	c := &counter{n: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/_test/counts", c.serve)
	mux.Handle("/", c.wrap(router))
	slog.Info("listening", "addr", listen, "issuer", issuer)
	if err := http.ListenAndServe(listen, mux); err != nil {
		slog.Error("serve", "error", err)
		os.Exit(1)
	}
}

// webSecret is the "web" client's secret: WEB_SECRET, default the
// example's "secret" (a test that looks for the secret in files and output
// needs a string found nowhere else).
func webSecret() string {
	if s := os.Getenv("WEB_SECRET"); s != "" {
		return s
	}
	return "secret"
}

// lifetimeStorage gives every client the chosen id_token lifetime, and
// mends the example's device login, which records the username where the
// token endpoint then looks up a user id ("user not found").
type lifetimeStorage struct {
	*storage.Storage
	users    storage.UserStore
	lifetime time.Duration
}

func (s lifetimeStorage) CompleteDeviceAuthorization(ctx context.Context, userCode, username string) error {
	subject := username
	if u := s.users.GetUserByUsername(username); u != nil {
		subject = u.ID
	}
	return s.Storage.CompleteDeviceAuthorization(ctx, userCode, subject)
}

func (s lifetimeStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return lifetimeClient{Client: c, lifetime: s.lifetime}, nil
}

type lifetimeClient struct {
	op.Client
	lifetime time.Duration
}

func (c lifetimeClient) IDTokenLifetime() time.Duration { return c.lifetime }

// counter counts requests by path; /_test/counts answers them as JSON.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.n[r.URL.Path]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (c *counter) serve(w http.ResponseWriter, _ *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(c.n)
}
