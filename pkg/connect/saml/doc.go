// Package saml logs in at a SAML 2.0 identity provider for AWS, as
// kconnect's `--idp-protocol saml` does: get the SAMLResponse an IdP-initiated
// login hands to AWS (Login; FormLogin is the generic browser-like form
// login), read the AWS roles it grants (ParseAssertion), and trade it for
// temporary credentials with STS AssumeRoleWithSAML, optionally chained to
// another role (Assume). Nothing here keeps or prints the password, the
// assertion or the credentials.
package saml
