// Package gke is kcc-connect's GKE provider: it lists a project's clusters
// with the container API (as gcloud reaches it: its endpoint overrides, its
// custom CA file, Application Default Credentials) and writes the user
// entry `gcloud container clusters get-credentials` writes.
package gke
