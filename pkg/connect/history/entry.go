// Package history keeps the kubeconfig entries kcc-connect wrote, newest
// first, so that `kcc-connect to` can write one again by a short id or an
// alias. It holds names and paths only: no credential ever passes through
// it, and its Entry has no field that could carry one.
package history

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Entry is one kubeconfig entry written by kcc-connect. These fields are the
// whole record (a test pins the list): adding one means asking whether it
// could ever hold a secret.
type Entry struct {
	// ID is short and stable: a digest of the key (ClusterID, Profile,
	// RoleARN, Kubeconfig), so the same connection keeps its id.
	ID        string `json:"id" yaml:"id"`
	ClusterID string `json:"clusterId" yaml:"clusterId"`
	Provider  string `json:"provider" yaml:"provider"`
	Profile   string `json:"profile" yaml:"profile"`
	Region    string `json:"region" yaml:"region"`
	RoleARN   string `json:"roleArn" yaml:"roleArn"`
	Context   string `json:"context" yaml:"context"`
	// Kubeconfig is the absolute path of the file the entry was written to.
	Kubeconfig string    `json:"kubeconfig" yaml:"kubeconfig"`
	Alias      string    `json:"alias" yaml:"alias"`
	LastUsed   time.Time `json:"lastUsed" yaml:"lastUsed"`
}

// key is what makes two entries the same connection: one cluster reached
// with the same credentials into the same file. A context renamed by a
// template is still the same connection.
func (e Entry) key() string {
	return e.ClusterID + "\x00" + e.Profile + "\x00" + e.RoleARN + "\x00" + e.Kubeconfig
}

// idLength is the length of a new id in hex digits: 32 bits, so a clash in
// a history of 100 entries has odds of about one in a million, and is then
// resolved by taking more digits (newID).
const idLength = 8

func digest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
