package cache

import "time"

// Policy decides how long a credential is served from the cache.
type Policy struct {
	// RefreshMargin: a credential is refreshed when it expires sooner than this.
	RefreshMargin time.Duration
	// DefaultTTL is how long a credential without a usable expiry is kept.
	DefaultTTL time.Duration
	// NoExpiryThreshold: an expiry further than this in the past is taken as
	// "no expiry given" (a plugin that omits it decodes to year 1), not as a
	// credential that has just expired.
	NoExpiryThreshold time.Duration
	// HealCooldown bounds the 401 self-heal: one forced refresh per calling
	// process and key within this time.
	HealCooldown time.Duration
}

// Expiry is when a credential the plugin reported as expiring at reported
// stops being served from the cache.
func (p Policy) Expiry(reported, now time.Time) time.Time {
	if reported.IsZero() || reported.Before(now.Add(-p.NoExpiryThreshold)) {
		return now.Add(p.DefaultTTL)
	}
	return reported
}

// Fresh reports whether a credential expiring at exp may still be served.
func (p Policy) Fresh(exp, now time.Time) bool {
	return exp.Sub(now) >= p.RefreshMargin
}
