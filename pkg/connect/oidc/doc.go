// Package oidc is the oidc provider of package connect (kconnect's): its
// clusters are Kubernetes API servers that trust an OpenID provider, given
// by flags or listed in a cluster list (list.go) read from a file, stdin or
// an https:// URL, and its users get their id_token from kcc-oidc.
package oidc
