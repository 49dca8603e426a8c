package secretservice

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
)

// searchArgs is the attribute match for our items, those of one key when
// key is not empty.
func searchArgs(key string) map[string]string {
	attrs := map[string]string{"service": attrService}
	if key != "" {
		attrs["key"] = key
	}
	return attrs
}

// search returns our items, those of one key when key is not empty: the
// unlocked ones, whose secrets can be read, and the locked ones.
func (s *Client) search(key string) (unlocked, locked []dbus.ObjectPath, err error) {
	out, err := s.call(ssPath, ssService+".SearchItems", "a{ss}", searchArgs(key))
	if err != nil {
		return nil, nil, fmt.Errorf("could not search the Secret Service: %w", err)
	}
	return searchResult(out)
}

// Get returns the blob stored under key, or an error wrapping
// fs.ErrNotExist.
func (s *Client) Get(key string) ([]byte, error) {
	item, hinted := s.hints.read(key)
	if hinted {
		if blob, err := s.getHinted(key, item); blob != nil || err != nil {
			return blob, err
		}
	}
	items, locked, err := s.search(key)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		if len(locked) > 0 {
			return nil, fmt.Errorf("keyring item %.12s is locked: %w", key, fs.ErrNotExist)
		}
		s.hints.remove(key)
		return nil, fmt.Errorf("no keyring item %.12s: %w", key, fs.ErrNotExist)
	}
	out, err := s.call(items[0], ssItem+".GetSecret", "o", s.session)
	if err != nil {
		if vanished(err) {
			return nil, fmt.Errorf("keyring item %.12s was just deleted: %w", key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
	}
	value, ok := secretValue(firstValue(out))
	if !ok {
		return nil, fmt.Errorf("could not read keyring item %.12s: unexpected reply", key)
	}
	tagged, blob := Untag(value)
	switch {
	case tagged == key:
		s.hints.write(key, items[0])
	case tagged != "":
		// Found by its attributes, yet written for another key: not ours to
		// serve. Missing, so that the caller's Put replaces it.
		return nil, fmt.Errorf("keyring item %.12s holds another key's secret: %w", key, fs.ErrNotExist)
	}
	return blob, nil
}

// Hint is the item the hint of key names, if there is a hint: where the
// agent is asked to read key's secret.
func (s *Client) Hint(key string) (dbus.ObjectPath, bool) { return s.hints.read(key) }

// ReadItem returns the secret of item as stored (tagged, see Tag), nil when
// the item is gone or locked now, an error when the call failed.
func (s *Client) ReadItem(item dbus.ObjectPath) ([]byte, error) {
	out, err := s.call(item, ssItem+".GetSecret", "o", s.session)
	if err != nil {
		if vanished(err) || isDBusError(err, "org.freedesktop.Secret.Error.IsLocked") {
			return nil, nil
		}
		return nil, err
	}
	secret, _ := secretValue(firstValue(out))
	return secret, nil
}

// getHinted reads the secret of the item a hint names. It returns the blob
// when that item holds key's secret, an error when the connection failed,
// and neither when the hint is of no use (the item is gone, locked, another
// key's or written before secrets were tagged): the caller then searches.
func (s *Client) getHinted(key string, item dbus.ObjectPath) ([]byte, error) {
	// Started first: the call's arguments name the session.
	if err := s.start(); err != nil {
		return nil, err
	}
	out, err := s.call(item, ssItem+".GetSecret", "o", s.session)
	if err != nil {
		var reply *dbus.Error
		if errors.As(err, &reply) {
			return nil, nil // the service answered: no such item, locked, ...
		}
		return nil, fmt.Errorf("could not read keyring item %.12s: %w", key, err)
	}
	value, ok := secretValue(firstValue(out))
	if !ok {
		return nil, nil
	}
	if tagged, blob := Untag(value); tagged == key {
		return blob, nil
	}
	return nil, nil
}

// Set stores blob under key, replacing any item of key, labelled label.
func (s *Client) Set(key, label string, blob []byte) error {
	if err := s.start(); err != nil {
		return err
	}
	props := map[string]dbus.Variant{
		ssItem + ".Label": dbus.MakeVariant(label),
		ssItem + ".Attributes": dbus.MakeVariant(map[string]string{
			"service": attrService,
			"key":     key,
		}),
	}
	secret := []any{s.session, []byte{}, Tag(key, blob), "text/plain"}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	coll, err := s.defaultCollection(ctx)
	if err != nil {
		return fmt.Errorf("could not store keyring item %.12s: %w", key, err)
	}
	// replace=true: an item with the same attributes is updated in place, so
	// a refresh never leaves two items for one key.
	out, err := s.call(coll, ssCollection+".CreateItem", "a{sv}(oayays)b", props, secret, true)
	if err != nil {
		return fmt.Errorf("could not store keyring item %.12s: %w", key, err)
	}
	if len(out) != 2 || out[1] != noPrompt {
		return fmt.Errorf("could not store keyring item %.12s: the Secret Service wants to prompt the user", key)
	}
	if item, ok := out[0].(dbus.ObjectPath); ok {
		s.hints.write(key, item)
	}
	return nil
}

// Remove deletes the items of keys; absent keys are not an error.
func (s *Client) Remove(keys ...string) error {
	for _, key := range keys {
		unlocked, locked, err := s.search(key)
		if err != nil {
			return err
		}
		if err := s.deleteItems(append(unlocked, locked...)); err != nil {
			return fmt.Errorf("could not delete keyring item %.12s: %w", key, err)
		}
		s.hints.remove(key)
	}
	return nil
}

// deleteItems deletes items, one call at a time (docs/design.md §12).
func (s *Client) deleteItems(items []dbus.ObjectPath) error {
	for _, item := range items {
		out, err := s.call(item, ssItem+".Delete", "")
		if err != nil {
			if vanished(err) {
				continue // someone else deleted it first: the goal is met
			}
			return err
		}
		if len(out) != 1 || out[0] != noPrompt {
			return errors.New("the Secret Service wants to prompt the user")
		}
	}
	return nil
}

// Prune deletes our expired items in a search, one GetSecrets and the
// deletions; the generic list-then-remove would read every item's key
// attribute first, which makes many concurrent writers quadratic.
func (s *Client) Prune(expired func(blob []byte) bool) (int, error) {
	s.hints.sweep(time.Now())
	items, _, err := s.search("")
	if err != nil {
		return 0, err
	}
	if len(items) == 0 {
		return 0, nil
	}
	out, err := s.call(ssPath, ssService+".GetSecrets", "aoo", items, s.session)
	if err != nil {
		return 0, fmt.Errorf("could not read keyring items: %w", err)
	}
	secrets, _ := firstValue(out).(map[string]any)
	var stale []dbus.ObjectPath
	var staleKeys []string
	for item, sec := range secrets {
		value, ok := secretValue(sec)
		if !ok {
			continue
		}
		key, blob := Untag(value)
		if expired(blob) {
			stale = append(stale, dbus.ObjectPath(item))
			if key != "" {
				staleKeys = append(staleKeys, key)
			}
		}
	}
	if err := s.deleteItems(stale); err != nil {
		return 0, fmt.Errorf("could not delete expired keyring items: %w", err)
	}
	for _, key := range staleKeys {
		s.hints.remove(key)
	}
	return len(stale), nil
}

// List reads each item on its own rather than with one GetSecrets: another
// kcc-cache may delete an item between our search and our read (a prune, a
// --clear), and one vanished item must not fail the whole --list or --clear.
func (s *Client) List() (map[string][]byte, error) {
	items, _, err := s.search("")
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(items))
	for _, item := range items {
		attrsOut, err := s.call(item, ssProps+".Get", "ss", ssItem, "Attributes")
		if err == nil {
			var secretOut []any
			if secretOut, err = s.call(item, ssItem+".GetSecret", "o", s.session); err == nil {
				attrs, _ := variantValue(attrsOut).(map[string]any)
				key, _ := attrs["key"].(string)
				if value, ok := secretValue(firstValue(secretOut)); key != "" && ok {
					if tagged, blob := Untag(value); tagged == "" || tagged == key {
						out[key] = blob
					}
				}
				continue
			}
		}
		if !vanished(err) {
			return nil, fmt.Errorf("could not read keyring items: %w", err)
		}
	}
	return out, nil
}

// vanished tells an item deleted under our feet from a real failure. The
// API names NoSuchObject; gnome-keyring answers UnknownMethod ("Object does
// not exist at path"), which on a path its own search just returned can only
// mean the same.
func vanished(err error) bool {
	return isDBusError(err, "org.freedesktop.Secret.Error.NoSuchObject") ||
		isDBusError(err, "org.freedesktop.DBus.Error.UnknownObject") ||
		isDBusError(err, "org.freedesktop.DBus.Error.UnknownMethod")
}
