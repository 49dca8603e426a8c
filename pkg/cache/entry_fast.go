package cache

import (
	"bytes"
	"encoding/json"
	"time"
	"unicode/utf8"
)

// decodeCanonicalEntry reads an entry as json.Marshal writes it — the fields
// in struct order, user, server, command and inputs only when set, no white space —
// with no reflection: on a hit this is the only JSON read, and starting
// encoding/json's decoder (its type cache, reflect) costs more than the
// rest of the lookup. It accepts only what it can read exactly: a string
// with an escape, a time not in Marshal's form, a field out of place, and it
// reports false, for decodeEntry to hand the value to json.Unmarshal.
// FuzzDecodeCanonicalEntry holds it to json.Unmarshal on any input.
func decodeCanonicalEntry(b []byte) (entry, bool) {
	var e entry
	var exp string
	ok := true
	str := func(prefix string, dst *string, optional bool) {
		if !ok {
			return
		}
		rest, found := bytes.CutPrefix(b, []byte(prefix))
		if !found {
			ok = optional
			return
		}
		*dst, b, ok = plainJSONString(rest)
	}
	str(`{"gen":`, &e.Gen, false)
	str(`,"expires":`, &exp, false)
	str(`,"user":`, &e.User, true)
	str(`,"server":`, &e.Server, true)
	str(`,"command":`, &e.Command, true)
	str(`,"inputs":`, &e.Inputs, true)
	str(`,"apiVersion":`, &e.APIVersion, false)
	if !ok {
		return entry{}, false
	}
	status, found := bytes.CutPrefix(b, []byte(`,"status":`))
	if !found || len(status) < 3 || status[0] != '{' || status[len(status)-1] != '}' {
		return entry{}, false
	}
	status = status[:len(status)-1]
	// The scanner json.Valid uses is small and has no reflection; what is
	// printed to kubectl must be JSON, whatever is on disk.
	if !json.Valid(status) || status[len(status)-1] != '}' {
		return entry{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, exp)
	if err != nil || t.Format(time.RFC3339Nano) != exp {
		return entry{}, false
	}
	e.Expires = t
	e.Status = status
	return e, true
}

// plainJSONString reads a JSON string that needs no unescaping (no '\', no
// control character, valid UTF-8) from the start of b.
func plainJSONString(b []byte) (string, []byte, bool) {
	if len(b) == 0 || b[0] != '"' {
		return "", nil, false
	}
	end := bytes.IndexByte(b[1:], '"')
	if end < 0 {
		return "", nil, false
	}
	s := b[1 : 1+end]
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			return "", nil, false
		}
	}
	if !utf8.Valid(s) {
		return "", nil, false
	}
	return string(s), b[2+end:], true
}
