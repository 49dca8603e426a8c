package dbus

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Message types.
const (
	typeMethodCall   = 1
	typeMethodReturn = 2
	typeError        = 3
	typeSignal       = 4
)

// Header field codes.
const (
	fieldPath        = 1
	fieldInterface   = 2
	fieldMember      = 3
	fieldErrorName   = 4
	fieldReplySerial = 5
	fieldDestination = 6
	fieldSender      = 7
	fieldSignature   = 8
	fieldUnixFDs     = 9
)

// maxMessage bounds what we read: the spec allows 128 MiB, far more than any
// reply to us (a --list of a thousand entries is a few MiB).
const maxMessage = 64 << 20

// message is one D-Bus message, as much of it as this client uses.
type message struct {
	typ         byte
	flags       byte
	serial      uint32
	path        ObjectPath
	iface       string
	member      string
	errorName   string
	replySerial uint32
	destination string
	signature   string
	body        []any
}

// encode lays m out, little-endian, header then body.
func (m *message) encode() ([]byte, error) {
	var body encoder
	if err := body.values(m.signature, m.body); err != nil {
		return nil, err
	}
	var fields []any
	add := func(code byte, sig Signature, v any) {
		fields = append(fields, []any{code, Variant{sig, v}})
	}
	if m.typ == typeMethodCall && !ValidPath(string(m.path)) {
		return nil, fmt.Errorf("dbus: invalid object path %q", m.path)
	}
	if m.path != "" {
		add(fieldPath, "o", m.path)
	}
	if m.iface != "" {
		add(fieldInterface, "s", m.iface)
	}
	if m.member != "" {
		add(fieldMember, "s", m.member)
	}
	if m.destination != "" {
		add(fieldDestination, "s", m.destination)
	}
	if m.signature != "" {
		add(fieldSignature, "g", Signature(m.signature))
	}
	h := encoder{buf: make([]byte, 0, 128+len(body.buf))}
	h.buf = append(h.buf, 'l', m.typ, m.flags, 1)
	h.u32(uint32(len(body.buf)))
	h.u32(m.serial)
	if err := h.value("a(yv)", fields, 0); err != nil {
		return nil, err
	}
	h.align(8)
	out := append(h.buf, body.buf...)
	clear(body.buf) // the arguments may hold a secret (CreateItem's)
	return out, nil
}

// readMessage reads one message from r and decodes it.
func readMessage(r io.Reader) (*message, error) {
	var buf []byte
	return readMessageInto(r, &buf)
}

// readMessageInto is readMessage reading the message into *buf, grown as
// needed, so that the connection keeps one buffer it can wipe.
func readMessageInto(r io.Reader, buf *[]byte) (*message, error) {
	var fixed [16]byte
	if _, err := io.ReadFull(r, fixed[:]); err != nil {
		return nil, err
	}
	var order binary.ByteOrder
	switch fixed[0] {
	case 'l':
		order = binary.LittleEndian
	case 'B':
		order = binary.BigEndian
	default:
		return nil, errMalformed
	}
	if fixed[3] != 1 {
		return nil, fmt.Errorf("dbus: protocol version %d", fixed[3])
	}
	bodyLen := order.Uint32(fixed[4:8])
	fieldsLen := order.Uint32(fixed[12:16])
	if bodyLen > maxMessage || fieldsLen > maxMessage {
		return nil, errMalformed
	}
	headerLen := (16 + int(fieldsLen) + 7) &^ 7
	if headerLen+int(bodyLen) > maxMessage {
		return nil, errMalformed
	}
	size := headerLen + int(bodyLen)
	if cap(*buf) < size {
		*buf = make([]byte, size)
	}
	msg := (*buf)[:size]
	*buf = msg
	copy(msg, fixed[:])
	if _, err := io.ReadFull(r, msg[16:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return decodeMessage(msg, order)
}

// decodeMessage decodes a whole message whose fixed part says order.
func decodeMessage(buf []byte, order binary.ByteOrder) (*message, error) {
	m := &message{typ: buf[1], flags: buf[2], serial: order.Uint32(buf[8:12])}
	fieldsLen := int(order.Uint32(buf[12:16]))
	headerLen := (16 + fieldsLen + 7) &^ 7
	h := decoder{buf: buf[:16+fieldsLen], pos: 12, order: order}
	fv, err := h.value("a(yv)", 0)
	if err != nil {
		return nil, err
	}
	for _, f := range fv.([]any) {
		pair := f.([]any)
		code, v := pair[0].(byte), pair[1].(Variant)
		ok := true
		switch code {
		case fieldPath:
			m.path, ok = v.Value.(ObjectPath)
		case fieldInterface:
			m.iface, ok = v.Value.(string)
		case fieldMember:
			m.member, ok = v.Value.(string)
		case fieldErrorName:
			m.errorName, ok = v.Value.(string)
		case fieldReplySerial:
			m.replySerial, ok = v.Value.(uint32)
		case fieldDestination:
			m.destination, ok = v.Value.(string)
		case fieldSignature:
			var s Signature
			s, ok = v.Value.(Signature)
			m.signature = string(s)
		}
		if !ok {
			return nil, errMalformed
		}
	}
	if m.serial == 0 {
		return nil, errMalformed
	}
	body := decoder{buf: buf[headerLen:], order: order}
	if m.body, err = body.values(m.signature); err != nil {
		return nil, err
	}
	if body.pos != len(body.buf) {
		return nil, errMalformed
	}
	return m, nil
}

// Error is an error reply: its D-Bus name and its message.
type Error struct {
	Name    string
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// replyError turns an error reply into an *Error.
func replyError(m *message) *Error {
	e := &Error{Name: m.errorName}
	if len(m.body) > 0 {
		e.Message, _ = m.body[0].(string)
	}
	return e
}
