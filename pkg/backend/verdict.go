package backend

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
)

// verdictTTL is how long auto trusts an earlier "the secret store is
// unusable" instead of probing again. Probing a store that hangs costs the
// whole probe bound on every kubectl call, and a store that is down now is
// rarely up a second later; a minute keeps both the cost and the staleness
// small.
const verdictTTL = time.Minute

// unusableVerdict remembers, per bus address, that auto found the secret
// store unusable, so that the next calls go straight to the file. It lives in
// the state directory (0700) and holds only the reason, never a secret.
type unusableVerdict struct {
	dir     string // the cache file's state directory
	address string // the store's address; "" disables the memory
	now     func() time.Time
}

func (v unusableVerdict) path() string {
	sum := sha256.Sum256([]byte(v.address))
	return filepath.Join(v.dir, "keyring-unusable-"+hex.EncodeToString(sum[:6]))
}

// recall returns the remembered reason while it is younger than verdictTTL.
func (v unusableVerdict) recall() (string, bool) {
	if v.address == "" {
		return "", false
	}
	f, err := os.Open(v.path())
	if err != nil {
		return "", false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", false
	}
	age := v.now().Sub(st.ModTime())
	if age >= verdictTTL || age < -verdictTTL { // a little in the future: coarse or skewed clocks
		return "", false
	}
	var buf [512]byte
	n, _ := f.Read(buf[:])
	reason := strings.TrimSpace(string(buf[:n]))
	return reason + " (remembered for " + verdictTTL.String() + ", " + age.Round(time.Second).String() + " ago)", true
}

// remember records reason; failing to is harmless (the next call probes).
func (v unusableVerdict) remember(reason string) {
	if v.address == "" {
		return
	}
	if err := os.MkdirAll(v.dir, 0o700); err != nil {
		return
	}
	_ = privatefile.WriteFile(v.path(), []byte(reason+"\n"))
}
