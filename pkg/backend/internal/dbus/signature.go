package dbus

import (
	"errors"
	"fmt"
)

// ObjectPath is a D-Bus object path ("o").
type ObjectPath string

// Signature is a D-Bus type signature ("g").
type Signature string

// Variant is a value with its own signature ("v").
type Variant struct {
	Sig   Signature
	Value any
}

// MakeVariant wraps a string or a map[string]string, the two kinds of
// variant the Secret Service API takes from us.
func MakeVariant(v any) Variant {
	switch v.(type) {
	case string:
		return Variant{"s", v}
	case map[string]string:
		return Variant{"a{ss}", v}
	case bool:
		return Variant{"b", v}
	case ObjectPath:
		return Variant{"o", v}
	}
	panic(fmt.Sprintf("dbus: no variant signature for %T", v))
}

// maxDepth bounds the nesting of arrays, structs and variants together; the
// spec allows 32 of arrays and 32 of structs.
const maxDepth = 64

var errSignature = errors.New("dbus: invalid signature")

// firstType splits sig into its first complete type and the rest.
func firstType(sig string) (string, string, error) {
	n, err := typeLen(sig, 0)
	if err != nil {
		return "", "", err
	}
	return sig[:n], sig[n:], nil
}

func typeLen(sig string, depth int) (int, error) {
	if len(sig) == 0 || depth > maxDepth {
		return 0, errSignature
	}
	switch sig[0] {
	case 'y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 'h', 's', 'o', 'g', 'v':
		return 1, nil
	case 'a':
		n, err := typeLen(sig[1:], depth+1)
		return 1 + n, err
	case '(':
		i := 1
		for i < len(sig) && sig[i] != ')' {
			n, err := typeLen(sig[i:], depth+1)
			if err != nil {
				return 0, err
			}
			i += n
		}
		if i >= len(sig) || i == 1 {
			return 0, errSignature
		}
		return i + 1, nil
	case '{':
		// A dict entry: a basic key, one value, only as an array's element
		// (checked by the callers, which see the 'a').
		if len(sig) < 4 || !basic(sig[1]) {
			return 0, errSignature
		}
		n, err := typeLen(sig[2:], depth+1)
		if err != nil || 2+n >= len(sig) || sig[2+n] != '}' {
			return 0, errSignature
		}
		return 3 + n, nil
	}
	return 0, errSignature
}

func basic(c byte) bool {
	switch c {
	case 'y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 'h', 's', 'o', 'g':
		return true
	}
	return false
}

// validSignature reports whether sig is a sequence of complete types (the
// empty sequence included) of at most 255 bytes.
func validSignature(sig string) bool {
	if len(sig) > 255 {
		return false
	}
	for sig != "" {
		t, rest, err := firstType(sig)
		if err != nil || t[0] == '{' {
			return false
		}
		sig = rest
	}
	return true
}

// alignment is the boundary a value of type sig starts on.
func alignment(c byte) int {
	switch c {
	case 'n', 'q':
		return 2
	case 'b', 'i', 'u', 'h', 's', 'o', 'a':
		return 4
	case 'x', 't', 'd', '(', '{':
		return 8
	}
	return 1 // y, g, v
}
