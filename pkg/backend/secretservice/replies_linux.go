package secretservice

import (
	"errors"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
)

// The reply shapes of the API, checked rather than assumed.

func firstValue(out []any) any {
	if len(out) != 1 {
		return nil
	}
	return out[0]
}

func variantValue(out []any) any {
	v, _ := firstValue(out).(dbus.Variant)
	return v.Value
}

// searchResult reads Service.SearchItems' reply, (ao ao).
func searchResult(out []any) (unlocked, locked []dbus.ObjectPath, err error) {
	if len(out) != 2 {
		return nil, nil, errors.New("could not search the Secret Service: unexpected reply")
	}
	if unlocked, err = paths(out[0]); err != nil {
		return nil, nil, err
	}
	if locked, err = paths(out[1]); err != nil {
		return nil, nil, err
	}
	return unlocked, locked, nil
}

func paths(v any) ([]dbus.ObjectPath, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New("could not search the Secret Service: unexpected reply")
	}
	items := make([]dbus.ObjectPath, 0, len(list))
	for _, v := range list {
		p, ok := v.(dbus.ObjectPath)
		if !ok {
			return nil, errors.New("could not search the Secret Service: unexpected reply")
		}
		items = append(items, p)
	}
	return items, nil
}

// secretValue takes the value out of a Secret struct, (oayays).
func secretValue(v any) ([]byte, bool) {
	fields, ok := v.([]any)
	if !ok || len(fields) != 4 {
		return nil, false
	}
	value, ok := fields[2].([]byte)
	return value, ok
}
