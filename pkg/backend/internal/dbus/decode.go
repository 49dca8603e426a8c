package dbus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// errMalformed is every decoding failure: the data comes from another
// process, so it is checked, never trusted.
var errMalformed = errors.New("dbus: malformed message")

// maxArray is the spec's limit on an array's length in bytes.
const maxArray = 64 << 20

// decoder reads values from buf starting at pos; offsets are relative to
// buf's start, which is 8-aligned in the message.
type decoder struct {
	buf   []byte
	pos   int
	order binary.ByteOrder
}

func (d *decoder) align(n int) error {
	p := (d.pos + n - 1) / n * n
	if p > len(d.buf) {
		return errMalformed
	}
	d.pos = p
	return nil
}

func (d *decoder) take(n int) ([]byte, error) {
	if n < 0 || n > len(d.buf)-d.pos {
		return nil, errMalformed
	}
	b := d.buf[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *decoder) u32() (uint32, error) {
	if err := d.align(4); err != nil {
		return 0, err
	}
	b, err := d.take(4)
	if err != nil {
		return 0, err
	}
	return d.order.Uint32(b), nil
}

func (d *decoder) str() (string, error) {
	n, err := d.u32()
	if err != nil {
		return "", err
	}
	if n > maxArray {
		return "", errMalformed
	}
	b, err := d.take(int(n) + 1)
	if err != nil || b[n] != 0 || !utf8.Valid(b[:n]) {
		return "", errMalformed
	}
	return string(b[:n]), nil
}

func (d *decoder) sig() (string, error) {
	nb, err := d.take(1)
	if err != nil {
		return "", err
	}
	b, err := d.take(int(nb[0]) + 1)
	if err != nil || b[nb[0]] != 0 {
		return "", errMalformed
	}
	s := string(b[:nb[0]])
	if !validSignature(s) {
		return "", errMalformed
	}
	return s, nil
}

// values decodes one value per complete type of sig.
func (d *decoder) values(sig string) ([]any, error) {
	var out []any
	for sig != "" {
		t, rest, err := firstType(sig)
		if err != nil {
			return nil, errMalformed
		}
		v, err := d.value(t, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		sig = rest
	}
	return out, nil
}

// value decodes the single complete type t: byte, bool, int16, uint16,
// int32, uint32, int64, uint64, float64, string, ObjectPath, Signature,
// Variant, []byte for "ay", map[string]any for a dict (keys in their string
// form), []any for other arrays and for structs.
func (d *decoder) value(t string, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errMalformed
	}
	switch t[0] {
	case 'y':
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		return b[0], nil
	case 'b':
		u, err := d.u32()
		if err != nil || u > 1 {
			return nil, errMalformed
		}
		return u == 1, nil
	case 'n', 'q':
		if err := d.align(2); err != nil {
			return nil, err
		}
		b, err := d.take(2)
		if err != nil {
			return nil, err
		}
		u := d.order.Uint16(b)
		if t[0] == 'n' {
			return int16(u), nil
		}
		return u, nil
	case 'i':
		u, err := d.u32()
		return int32(u), err
	case 'u', 'h':
		return d.u32()
	case 'x', 't', 'd':
		if err := d.align(8); err != nil {
			return nil, err
		}
		b, err := d.take(8)
		if err != nil {
			return nil, err
		}
		u := d.order.Uint64(b)
		switch t[0] {
		case 'x':
			return int64(u), nil
		case 'd':
			return math.Float64frombits(u), nil
		}
		return u, nil
	case 's':
		return d.str()
	case 'o':
		s, err := d.str()
		if err != nil || !ValidPath(s) {
			return nil, errMalformed
		}
		return ObjectPath(s), nil
	case 'g':
		s, err := d.sig()
		return Signature(s), err
	case 'v':
		s, err := d.sig()
		if err != nil {
			return nil, err
		}
		vt, rest, err := firstType(s)
		if err != nil || rest != "" {
			return nil, errMalformed
		}
		v, err := d.value(vt, depth+1)
		if err != nil {
			return nil, err
		}
		return Variant{Signature(s), v}, nil
	case '(':
		if err := d.align(8); err != nil {
			return nil, err
		}
		inner := t[1 : len(t)-1]
		var fields []any
		for inner != "" {
			ft, rest, err := firstType(inner)
			if err != nil {
				return nil, errMalformed
			}
			f, err := d.value(ft, depth+1)
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
			inner = rest
		}
		return fields, nil
	case 'a':
		return d.array(t[1:], depth)
	}
	return nil, errMalformed
}

func (d *decoder) array(elem string, depth int) (any, error) {
	n, err := d.u32()
	if err != nil || n > maxArray {
		return nil, errMalformed
	}
	if err := d.align(alignment(elem[0])); err != nil {
		return nil, err
	}
	end := d.pos + int(n)
	if end > len(d.buf) {
		return nil, errMalformed
	}
	if elem == "y" {
		b, _ := d.take(int(n))
		return append([]byte(nil), b...), nil
	}
	if elem[0] == '{' {
		kt, rest, _ := firstType(elem[1 : len(elem)-1])
		vt, _, _ := firstType(rest)
		m := map[string]any{}
		for d.pos < end {
			if err := d.align(8); err != nil {
				return nil, err
			}
			k, err := d.value(kt, depth+1)
			if err != nil {
				return nil, err
			}
			v, err := d.value(vt, depth+1)
			if err != nil {
				return nil, err
			}
			m[keyString(k)] = v
		}
		if d.pos != end {
			return nil, errMalformed
		}
		return m, nil
	}
	var out []any
	for d.pos < end {
		before := d.pos
		v, err := d.value(elem, depth+1)
		if err != nil {
			return nil, err
		}
		if d.pos == before { // cannot happen for valid types; never loop
			return nil, errMalformed
		}
		out = append(out, v)
	}
	if d.pos != end {
		return nil, errMalformed
	}
	return out, nil
}

func keyString(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case ObjectPath:
		return string(x)
	case Signature:
		return string(x)
	}
	// Numeric keys do not occur in the Secret Service API; give them a
	// stable form rather than failing.
	return fmt.Sprint(k)
}

// ValidPath checks the object path grammar: "/" or "/a/b", elements of
// [A-Za-z0-9_], no empty element, no trailing slash.
func ValidPath(p string) bool {
	if p == "/" {
		return true
	}
	if len(p) < 2 || p[0] != '/' || p[len(p)-1] == '/' {
		return false
	}
	prev := byte('/')
	for i := 1; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/':
			if prev == '/' {
				return false
			}
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_':
		default:
			return false
		}
		prev = c
	}
	return true
}
