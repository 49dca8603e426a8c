package secretservice

import (
	"bytes"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
)

// secretTag starts every secret this client writes to the Secret Service:
// "kcck <key>\n", then the blob. It is what lets a hit go straight to an
// item by a remembered path (itemHints) and still never serve another key's
// credential: the service may hand a deleted item's path to a new item, and
// the path alone proves nothing. Items written before the tag existed are
// still read through the search, which matches them by their attributes.
const secretTag = "kcck "

// Tag prefixes blob with the tag of key.
func Tag(key string, blob []byte) []byte {
	out := make([]byte, 0, len(secretTag)+len(key)+1+len(blob))
	out = append(out, secretTag...)
	out = append(out, key...)
	out = append(out, '\n')
	return append(out, blob...)
}

// Untag splits a secret into the key it was written for ("" for an
// untagged one) and the blob.
func Untag(secret []byte) (key string, blob []byte) {
	rest, ok := bytes.CutPrefix(secret, []byte(secretTag))
	if !ok {
		return "", secret
	}
	k, blob, ok := bytes.Cut(rest, []byte{'\n'})
	if !ok || !privatefile.ValidName(string(k)) {
		return "", secret
	}
	return string(k), blob
}
