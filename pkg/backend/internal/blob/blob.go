// Package blob lays a record out as the bytes a store keeps: the secret of
// one keyring item, or the content of one entry file.
package blob

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// itemMagic starts every blob we write. It versions the layout and lets us
// tell our items from anything else stored under a name we use.
const itemMagic = "kcc1 "

// Encode lays a record out as the secret of one keyring item, and as the
// content of one entry file of the file store:
//
//	kcc1 <expiry, RFC 3339>\n<label>\n<value>
//
// Everything lives in the secret itself, not in item attributes, because
// WinCred and Keychain through 99designs/keyring keep only the key and the
// data; one layout keeps every OS the same. It is compact on purpose: WinCred
// holds 2560 bytes and an EKS credential alone is 2–2.6 KB. For the file
// store it also means a hit decodes two short lines by hand instead of a JSON
// document by reflection.
func Encode(rec record.Record) []byte {
	label := oneLine(rec.Label)
	var b bytes.Buffer
	b.Grow(len(itemMagic) + 40 + len(label) + len(rec.Value))
	b.WriteString(itemMagic)
	b.WriteString(rec.Expires.UTC().Format(time.RFC3339Nano))
	b.WriteByte('\n')
	b.WriteString(label)
	b.WriteByte('\n')
	b.Write(compact(rec.Value))
	return b.Bytes()
}

// ErrNotOurs marks a blob that is not a kcc-cache entry.
var ErrNotOurs = errors.New("not a kube-credential-cache entry")

// Decode is the inverse of Encode. The blob comes from a store other
// programs can write to, so it rejects rather than trusts a malformed one.
func Decode(key string, blob []byte) (record.Record, error) {
	rest, ok := bytes.CutPrefix(blob, []byte(itemMagic))
	if !ok {
		return record.Record{}, ErrNotOurs
	}
	expires, rest, ok := bytes.Cut(rest, []byte{'\n'})
	if !ok {
		return record.Record{}, fmt.Errorf("%w: no expiry line", ErrNotOurs)
	}
	label, value, ok := bytes.Cut(rest, []byte{'\n'})
	if !ok || len(value) == 0 {
		return record.Record{}, fmt.Errorf("%w: no value", ErrNotOurs)
	}
	exp, err := time.Parse(time.RFC3339Nano, string(expires))
	if err != nil {
		return record.Record{}, fmt.Errorf("%w: bad expiry: %v", ErrNotOurs, err)
	}
	return record.Record{Key: key, Label: oneLine(string(label)), Expires: exp, Value: bytes.Clone(value)}, nil
}

// oneLine keeps a label from breaking the line-based layout (or a terminal).
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// compact strips insignificant white space from a JSON value; one that is not
// JSON is kept as it is (Put validates values, this is only about size).
func compact(v []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return v
	}
	return buf.Bytes()
}
