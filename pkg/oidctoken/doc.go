// Package oidctoken groups what kcc-oidc is made of, one package per concern:
// flags (the command line, kubelogin's flag names), tokenstore (id_token and
// refresh_token in kcc's backend), verify (discovery and id_token checks with
// go-oidc), grant (the OAuth 2.0 flows that obtain tokens) and gettoken (the
// get-token use case that ties them together).
package oidctoken
