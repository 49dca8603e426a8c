package dbus

import (
	"fmt"
	"strings"
)

// busAddress is one transport of a D-Bus address: its kind ("unix") and its
// key=value parameters.
type busAddress struct {
	transport string
	params    map[string]string
}

// parseAddresses splits an address string ("unix:path=/run/user/1000/bus",
// "unix:abstract=/tmp/dbus-x,guid=...;unix:path=...") into its transports,
// in order, undoing the %XX escapes of values.
func parseAddresses(s string) ([]busAddress, error) {
	var out []busAddress
	for _, part := range strings.Split(s, ";") {
		if part == "" {
			continue
		}
		transport, rest, ok := strings.Cut(part, ":")
		if !ok || transport == "" {
			return nil, fmt.Errorf("dbus: invalid address %q", part)
		}
		a := busAddress{transport: transport, params: map[string]string{}}
		for _, kv := range strings.Split(rest, ",") {
			if kv == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("dbus: invalid address %q", part)
			}
			uv, err := unescape(v)
			if err != nil {
				return nil, fmt.Errorf("dbus: invalid address %q: %w", part, err)
			}
			a.params[k] = uv
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dbus: empty address")
	}
	return out, nil
}

func unescape(v string) (string, error) {
	if !strings.Contains(v, "%") {
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '%' {
			b.WriteByte(v[i])
			continue
		}
		if i+2 >= len(v) {
			return "", fmt.Errorf("truncated escape")
		}
		hi, lo := unhex(v[i+1]), unhex(v[i+2])
		if hi < 0 || lo < 0 {
			return "", fmt.Errorf("bad escape %q", v[i:i+3])
		}
		b.WriteByte(byte(hi<<4 | lo))
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
