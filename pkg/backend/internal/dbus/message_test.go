package dbus

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"

	godbus "github.com/godbus/dbus/v5"
)

// The calls the Secret Service backend makes, as the bodies it sends.
var secretServiceCalls = []struct {
	sig  string
	args []any
}{
	{"sv", []any{"plain", MakeVariant("")}},
	{"ss", []any{"org.freedesktop.Secret.Collection", "Locked"}},
	{"a{ss}", []any{map[string]string{"service": "kube-credential-cache", "key": "0123abcd"}}},
	{"o", []any{ObjectPath("/org/freedesktop/secrets/session/s1")}},
	{"a{sv}(oayays)b", []any{
		map[string]Variant{"org.freedesktop.Secret.Item.Label": MakeVariant("kube-credential-cache: alice"), "org.freedesktop.Secret.Item.Attributes": MakeVariant(map[string]string{"service": "s", "key": "k"})},
		[]any{ObjectPath("/s/1"), []byte{}, []byte("kcc1 secret\x00bytes"), "text/plain"},
		true,
	}},
	{"aoo", []any{[]ObjectPath{"/a/1", "/a/2"}, ObjectPath("/s/1")}},
	{"ynqiuxtd", []any{byte(7), int16(-2), uint16(3), int32(-4), uint32(5), int64(-6), uint64(7), 8.5}},
}

// What we encode, godbus decodes to the same values, and so do we.
func TestEncodeDecode(t *testing.T) {
	for _, c := range secretServiceCalls {
		m := &message{typ: typeMethodCall, serial: 9, path: "/org/freedesktop/secrets", iface: "org.freedesktop.Secret.Service", member: "M", destination: "org.freedesktop.secrets", signature: c.sig, body: c.args}
		b, err := m.encode()
		if err != nil {
			t.Fatalf("%s: %v", c.sig, err)
		}
		gm, err := godbus.DecodeMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: godbus cannot decode what we encoded: %v", c.sig, err)
		}
		if got := string(gm.Headers[godbus.FieldSignature].Value().(godbus.Signature).String()); got != c.sig || len(gm.Body) != len(c.args) {
			t.Fatalf("%s: godbus reads signature %q and %d values", c.sig, got, len(gm.Body))
		}
		back, err := readMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", c.sig, err)
		}
		if back.serial != 9 || back.member != "M" || back.path != m.path || back.signature != c.sig {
			t.Fatalf("%s: header %+v", c.sig, back)
		}
		var again encoder
		if err := again.values(c.sig, back.body); err != nil {
			t.Fatalf("%s: what we decoded does not encode: %v", c.sig, err)
		}
		var first encoder
		_ = first.values(c.sig, c.args)
		if !bytes.Equal(first.buf, again.buf) {
			t.Fatalf("%s: body changed in a round trip:\n%q\n%q", c.sig, first.buf, again.buf)
		}
	}
}

// Replies the way gnome-keyring sends them, big-endian too: whatever byte
// order a peer uses, we read the same values.
func TestDecodeBothByteOrders(t *testing.T) {
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		var b bytes.Buffer
		msg := godbus.Message{Type: godbus.TypeMethodReply, Headers: map[godbus.HeaderField]godbus.Variant{
			godbus.FieldReplySerial: godbus.MakeVariant(uint32(3)),
			godbus.FieldSignature: godbus.MakeVariant(godbus.SignatureOf([]godbus.ObjectPath{}, map[godbus.ObjectPath]struct {
				S godbus.ObjectPath
				P []byte
				V []byte
				C string
			}{})),
		}, Body: []any{[]godbus.ObjectPath{"/i/1"}, map[godbus.ObjectPath]struct {
			S godbus.ObjectPath
			P []byte
			V []byte
			C string
		}{"/i/1": {"/s/1", nil, []byte("v"), "text/plain"}}}}
		if err := msg.EncodeTo(&b, order); err != nil {
			t.Fatal(err)
		}
		raw := b.Bytes()
		order.PutUint32(raw[8:12], 77) // godbus sets the serial only when it sends
		m, err := readMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%v: %v", order, err)
		}
		want := []any{[]any{ObjectPath("/i/1")}, map[string]any{"/i/1": []any{ObjectPath("/s/1"), []byte(nil), []byte("v"), "text/plain"}}}
		if m.replySerial != 3 || !reflect.DeepEqual(m.body, want) {
			t.Fatalf("%v: %+v", order, m.body)
		}
	}
}

func TestSignatures(t *testing.T) {
	for sig, ok := range map[string]bool{
		"": true, "s": true, "a{sv}": true, "(oayays)": true, "a{o(oayays)}": true, "aao": true,
		"a": false, "()": false, "{sv}": false, "a{vs}": false, "(s": false, "a{sss}": false, "z": false,
	} {
		if validSignature(sig) != ok {
			t.Errorf("validSignature(%q) = %v", sig, !ok)
		}
	}
}

// FuzzReadMessage: replies come from another process. Any bytes must be
// rejected or read, never panic or allocate without bound.
func FuzzReadMessage(f *testing.F) {
	for _, c := range secretServiceCalls {
		m := &message{typ: typeMethodReturn, serial: 2, replySerial: 1, signature: c.sig, body: c.args}
		b, _ := m.encode()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := readMessage(bytes.NewReader(b))
		if err != nil {
			return
		}
		var e encoder
		if err := e.values(m.signature, m.body); err != nil {
			t.Fatalf("decoded body does not encode again: %v", err)
		}
	})
}

// A malformed object path is refused before it is sent: the bus would drop
// the connection, and with it the session, on receiving one.
func TestEncodeRefusesInvalidPaths(t *testing.T) {
	for _, p := range []string{"", "x", "/a/", "//", "/a//b", "/a-b", "/a\nb"} {
		var e encoder
		if err := e.values("o", []any{ObjectPath(p)}); err == nil {
			t.Errorf("path %q encoded, want an error", p)
		}
		if _, err := (&message{typ: typeMethodCall, serial: 1, path: ObjectPath(p), member: "M"}).encode(); err == nil {
			t.Errorf("message to %q encoded, want an error", p)
		}
	}
	for _, p := range []string{"/", "/org/freedesktop/secrets", "/a_1/B2"} {
		var e encoder
		if err := e.values("o", []any{ObjectPath(p)}); err != nil {
			t.Errorf("path %q: %v", p, err)
		}
	}
}
