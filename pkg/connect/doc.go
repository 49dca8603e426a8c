// Package connect finds the Kubernetes clusters a user can reach and writes
// kubeconfig entries for them that authenticate through kcc-cache.
//
// A Provider (EKS is the first, in package eks) discovers clusters and says
// which exec plugin a cluster's user runs; this package names the entries
// (readable context names that stay unique), and package kubeconfig merges
// them into a kubeconfig without changing any byte it does not own.
package connect
