//go:build unix

package e2e

import (
	"encoding/json"
	"strings"
)

// clearOwnEntries deletes this harness's entries from a shared store (the
// keyring), so that test runs do not leave credentials behind in it.
func (h *harness) clearOwnEntries() {
	r, err := runCmd(h.env(), h.dir, "", kccBin, "--list", "-o", "json")
	var entries []listEntry
	if err != nil || json.Unmarshal([]byte(r.stdout), &entries) != nil {
		return // the test itself reports a broken --list
	}
	for _, e := range entries {
		if strings.Contains(e.User, h.id) {
			if r, err := runCmd(h.env(), h.dir, "", kccBin, "--clear", e.Key); err != nil || r.code != 0 {
				h.t.Errorf("kcc-cache --clear %s: %v\n%v", e.Key, err, r)
			}
		}
	}
}

// own returns the entries of this harness.
func (h *harness) own(entries []listEntry) []listEntry {
	var out []listEntry
	for _, e := range entries {
		if strings.Contains(e.User, h.id) {
			out = append(out, e)
		}
	}
	return out
}

// listEntry is one element of `kcc-cache --list -o json`.
type listEntry struct {
	Key     string `json:"key"`
	User    string `json:"user"`
	Server  string `json:"server"`
	Command string `json:"command"`
	Expires string `json:"expires"`
}

// list runs `kcc-cache --list -o json` and decodes it.
func (h *harness) list(extraEnv ...string) ([]listEntry, result) {
	h.t.Helper()
	r := h.run(h.env(extraEnv...), "", kccBin, "--list", "-o", "json")
	if r.code != 0 {
		h.t.Fatalf("kcc-cache --list -o json failed:\n%v", r)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil {
		h.t.Fatalf("kcc-cache --list -o json printed no JSON array: %v\n%v", err, r)
	}
	return entries, r
}
