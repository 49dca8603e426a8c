//go:build darwin || windows

package backend

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/99designs/keyring"
)

// osKeyring adapts a 99designs/keyring backend (Keychain, WinCred) to vault.
// On these systems that package has no init-time side effects (its D-Bus
// code is Linux-only, see docs/design.md §3), so using it is safe here.
type osKeyring struct {
	kr      keyring.Keyring
	label   string // the store's name for --info
	limit   int
	timeout time.Duration
}

// serviceName groups our items: the Keychain service, part of WinCred targets.
const serviceName = "kube-credential-cache"

// bounded runs f but stops waiting after timeout. The native APIs take no
// deadline; if one hangs, its goroutine is abandoned, which a short-lived
// kcc-cache process can afford, and kubectl gets its credential regardless.
func bounded[T any](timeout time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-t.C:
		var zero T
		return zero, fmt.Errorf("secret store did not answer within %v", timeout)
	}
}

// open99 opens one 99designs backend and checks that it answers.
func open99(cfg keyring.Config, label string, limit int, timeout time.Duration) (vault, error) {
	cfg.ServiceName = serviceName
	kr, err := keyring.Open(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s is not available: %w", label, err)
	}
	k := &osKeyring{kr: kr, label: label, limit: limit, timeout: callTimeout(timeout)}
	// Listing reads only item attributes, which needs no user approval, so it
	// probes the store without ever raising a dialog.
	if _, err := bounded(timeout, kr.Keys); err != nil {
		return nil, fmt.Errorf("%s is not usable: %w", label, err)
	}
	return k, nil
}

func (k *osKeyring) Get(key string) ([]byte, error) {
	it, err := bounded(k.timeout, func() (keyring.Item, error) { return k.kr.Get(key) })
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, fmt.Errorf("no keyring item %.12s: %w", key, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
	}
	return it.Data, nil
}

func (k *osKeyring) Set(key, label string, blob []byte) error {
	it := keyring.Item{Key: key, Label: label, Data: blob}
	_, err := bounded(k.timeout, func() (struct{}, error) { return struct{}{}, k.kr.Set(it) })
	if err != nil {
		return fmt.Errorf("could not store keyring item %.12s: %w", key, err)
	}
	return nil
}

func (k *osKeyring) Remove(keys ...string) error {
	for _, key := range keys {
		_, err := bounded(k.timeout, func() (struct{}, error) { return struct{}{}, k.kr.Remove(key) })
		if err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			return fmt.Errorf("could not delete keyring item %.12s: %w", key, err)
		}
	}
	return nil
}

func (k *osKeyring) List() (map[string][]byte, error) {
	keys, err := bounded(k.timeout, k.kr.Keys)
	if err != nil {
		return nil, fmt.Errorf("could not list keyring items: %w", err)
	}
	out := make(map[string][]byte, len(keys))
	for _, key := range keys {
		blob, err := k.Get(key)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since Keys
		}
		if err != nil {
			return nil, err
		}
		out[key] = blob
	}
	return out, nil
}

func (k *osKeyring) MaxBlob() int { return k.limit }

func (k *osKeyring) Name() string { return k.label }

func (k *osKeyring) Close() error { return nil }

// callTimeout bounds each call to the store once it has answered the probe:
// as secretservice.CallBound, for a store that is alive but busy.
func callTimeout(probe time.Duration) time.Duration {
	return max(10*probe, 5*time.Second)
}
