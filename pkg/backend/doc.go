// Package backend picks the store a kcc-cache call uses (Open: file,
// keyring, or auto, which takes the keyring when it answers within a bound
// and remembers an unusable verdict for a minute) and is the keyring store:
// each record one item of the OS secret store (the Secret Service on Linux,
// read through the agent when one runs; Keychain on macOS; Credential
// Manager on Windows), with records too large for it in the file store.
// The stores themselves live in filestore, secretservice and agent.
package backend
