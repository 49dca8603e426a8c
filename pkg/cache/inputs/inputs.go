// Package inputs fingerprints the files a credential plugin reads to decide
// whose credential it returns: gcloud's active configuration and account,
// the AWS profile in use, the Azure CLI's default subscription, and files
// the user names. A cached credential stays valid only while the
// fingerprint it was stored with still matches, so that `gcloud config set
// account`, new keys in ~/.aws/credentials or `az account set` take effect
// on the next kubectl call instead of when the cached token expires.
//
// Only a digest is kept: the files hold secrets (AWS keys, refresh tokens).
package inputs

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// maxRead is the largest file read whole; a bigger one is fingerprinted by
// its size, modification time and inode instead, so that a hit never hashes
// a big file (a plugin's token cache named in the files list, say).
const maxRead = 256 << 10

// Set is what one plugin call reads: files whole, AWS profile sections, and
// the values of a few variables that choose among them.
type Set struct {
	inputs []input
}

// input writes its state into the digest: its kind and name first, so that
// the same bytes in two places never read alike.
type input interface {
	digest(d *digester)
}

// Empty reports whether the set has nothing to fingerprint; its
// fingerprint is then "", which matches entries stored without one.
func (s Set) Empty() bool { return len(s.inputs) == 0 }

// Fingerprint is the hex sha256 of every input's current state; "" for an
// empty set. A missing file is a state of its own, not an error.
func (s Set) Fingerprint() string {
	if s.Empty() {
		return ""
	}
	d := digester{h: sha256.New()}
	d.str("kcc-inputs-v1")
	for _, in := range s.inputs {
		in.digest(&d)
	}
	return hex.EncodeToString(d.h.Sum(nil))
}

// Describe lists the inputs for debug output: kinds and paths, never
// content.
func (s Set) Describe() []string {
	out := make([]string, 0, len(s.inputs))
	for _, in := range s.inputs {
		if d, ok := in.(interface{ String() string }); ok {
			out = append(out, d.String())
		}
	}
	return out
}

// digester writes length-prefixed fields, so that no two sequences of
// fields share an encoding.
type digester struct {
	h hash.Hash
}

func (d *digester) bytes(b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	d.h.Write(n[:])
	d.h.Write(b)
}

func (d *digester) str(s string) { d.bytes([]byte(s)) }

// file is one file whose whole content counts.
type file struct{ path string }

func (f file) String() string { return "file " + f.path }

func (f file) digest(d *digester) { d.file(f.path) }

// file digests a file's path and state, and returns its content ("" when
// it is not read) for inputs that look inside.
func (d *digester) file(path string) []byte {
	d.str("file")
	d.str(path)
	b, state := readSmall(path)
	d.str(state)
	d.bytes(b)
	return b
}

// env is a variable that chooses which files, or which entry in them, a
// plugin uses (CLOUDSDK_ACTIVE_CONFIG_NAME, CLOUDSDK_CORE_ACCOUNT).
type env struct {
	name, value string
	set         bool
}

func (e env) String() string { return "env " + e.name }

func (e env) digest(d *digester) {
	d.str("env")
	d.str(e.name)
	if e.set {
		d.str("set")
		d.str(e.value)
	} else {
		d.str("unset")
	}
}
