// Package cache is kcc-cache's core: it answers one exec-plugin call from
// the store while the credential is valid, and otherwise runs the wrapped
// plugin once (under a per-key lock, so concurrent kubectl processes share
// one run), stores what it printed and prints it.
//
// Identity derives the cache key from the plugin's command line and the
// environment that selects its principal; Policy says when an entry is
// stale; Proxy.Serve runs the lookup → refresh → store → print flow and
// heals a credential the API server rejected (client-go asks again after a
// 401). The store behind it is anything that meets the small Store
// interface (pkg/backend's file and OS secret-store backends).
package cache
