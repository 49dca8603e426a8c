package dbus

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
)

// encoder appends values in the wire format, little-endian. Offsets are
// relative to the start of buf, which must be 8-aligned in the message (the
// header and the body both are).
type encoder struct {
	buf []byte
}

func (e *encoder) align(n int) {
	for len(e.buf)%n != 0 {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) u32(v uint32) {
	e.align(4)
	e.buf = binary.LittleEndian.AppendUint32(e.buf, v)
}

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, 0)
}

func (e *encoder) sig(s string) {
	e.buf = append(e.buf, byte(len(s)))
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, 0)
}

// values encodes args by sig, one complete type per argument.
func (e *encoder) values(sig string, args []any) error {
	for i, a := range args {
		t, rest, err := firstType(sig)
		if err != nil {
			return fmt.Errorf("dbus: signature %q has fewer types than the %d arguments", sig, len(args))
		}
		if err := e.value(t, a, 0); err != nil {
			return fmt.Errorf("dbus: argument %d: %w", i, err)
		}
		sig = rest
	}
	if sig != "" {
		return fmt.Errorf("dbus: %d arguments for signature types left over %q", len(args), sig)
	}
	return nil
}

// value encodes v as the single complete type t. It takes the Go types this
// package decodes to, plus the typed slices and maps the callers build.
func (e *encoder) value(t string, v any, depth int) error {
	if depth > maxDepth {
		return errSignature
	}
	mismatch := func() error { return fmt.Errorf("cannot encode %T as %q", v, t) }
	switch t[0] {
	case 'y':
		b, ok := v.(byte)
		if !ok {
			return mismatch()
		}
		e.buf = append(e.buf, b)
	case 'b':
		b, ok := v.(bool)
		if !ok {
			return mismatch()
		}
		var u uint32
		if b {
			u = 1
		}
		e.u32(u)
	case 'i':
		i, ok := v.(int32)
		if !ok {
			return mismatch()
		}
		e.u32(uint32(i))
	case 'u', 'h':
		u, ok := v.(uint32)
		if !ok {
			return mismatch()
		}
		e.u32(u)
	case 'n', 'q':
		var u uint16
		switch x := v.(type) {
		case int16:
			u = uint16(x)
		case uint16:
			u = x
		default:
			return mismatch()
		}
		e.align(2)
		e.buf = binary.LittleEndian.AppendUint16(e.buf, u)
	case 'x', 't', 'd':
		var u uint64
		switch x := v.(type) {
		case int64:
			u = uint64(x)
		case uint64:
			u = x
		case float64:
			u = math.Float64bits(x)
		default:
			return mismatch()
		}
		e.align(8)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, u)
	case 's', 'o':
		var str string
		switch x := v.(type) {
		case string:
			str = x
		case ObjectPath:
			str = string(x)
		default:
			return mismatch()
		}
		// The bus drops a client whose message carries a malformed path;
		// refusing it here keeps the connection and names the cause.
		if t[0] == 'o' && !ValidPath(str) {
			return fmt.Errorf("dbus: invalid object path %q", str)
		}
		e.str(str)
	case 'g':
		switch x := v.(type) {
		case string:
			e.sig(x)
		case Signature:
			e.sig(string(x))
		default:
			return mismatch()
		}
	case 'v':
		va, ok := v.(Variant)
		if !ok || !validSignature(string(va.Sig)) {
			return mismatch()
		}
		vt, rest, err := firstType(string(va.Sig))
		if err != nil || rest != "" {
			return mismatch()
		}
		e.sig(string(va.Sig))
		return e.value(vt, va.Value, depth+1)
	case '(':
		fields, ok := v.([]any)
		if !ok {
			return mismatch()
		}
		e.align(8)
		inner := t[1 : len(t)-1]
		for _, f := range fields {
			ft, rest, err := firstType(inner)
			if err != nil {
				return mismatch()
			}
			if err := e.value(ft, f, depth+1); err != nil {
				return err
			}
			inner = rest
		}
		if inner != "" {
			return mismatch()
		}
	case 'a':
		return e.array(t[1:], v, depth)
	default:
		return mismatch()
	}
	return nil
}

// array encodes v as an array of elem: the byte length, padding to the
// element's alignment (not counted), the elements.
func (e *encoder) array(elem string, v any, depth int) error {
	e.u32(0)
	lenAt := len(e.buf) - 4
	e.align(alignment(elem[0]))
	start := len(e.buf)
	var err error
	each := func(n int, f func(i int) error) {
		for i := 0; i < n && err == nil; i++ {
			err = f(i)
		}
	}
	switch x := v.(type) {
	case []byte:
		if elem != "y" {
			return fmt.Errorf("cannot encode []byte as a%s", elem)
		}
		e.buf = append(e.buf, x...)
	case []string:
		each(len(x), func(i int) error { return e.value(elem, x[i], depth+1) })
	case []ObjectPath:
		each(len(x), func(i int) error { return e.value(elem, x[i], depth+1) })
	case []any:
		each(len(x), func(i int) error { return e.value(elem, x[i], depth+1) })
	case map[string]string:
		err = dict(e, elem, x, depth)
	case map[string]Variant:
		err = dict(e, elem, x, depth)
	case map[string]any:
		err = dict(e, elem, x, depth)
	default:
		return fmt.Errorf("cannot encode %T as a%s", v, elem)
	}
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(e.buf[lenAt:], uint32(len(e.buf)-start))
	return nil
}

// dict encodes a map as dict entries, in key order so that the bytes are
// the same on every run.
func dict[V any](e *encoder, elem string, m map[string]V, depth int) error {
	if elem[0] != '{' {
		return fmt.Errorf("cannot encode a map as a%s", elem)
	}
	kt, rest, err := firstType(elem[1 : len(elem)-1])
	if err != nil {
		return err
	}
	vt, _, err := firstType(rest)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e.align(8)
		var key any = k
		if kt == "o" {
			key = ObjectPath(k)
		}
		if err := e.value(kt, key, depth+1); err != nil {
			return err
		}
		if err := e.value(vt, m[k], depth+1); err != nil {
			return err
		}
	}
	return nil
}
