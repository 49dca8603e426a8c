// Package injector wraps the exec credential plugins of a kubeconfig with
// kcc-cache and puts them back, changing only the bytes that must change.
//
// client-go's clientcmd re-encodes a whole kubeconfig: comments, key order,
// quoting and indentation are lost and defaults are added, so a wrapped file
// cannot be restored. Here yaml.v3 nodes are used only to locate the exec
// fields (their line and column); the edits are spliced into the original
// bytes. Inject checks its own output (it must decode to the expected
// kubeconfig and Restore must give back the input byte for byte) and refuses a
// layout it cannot handle rather than write a file it could not undo.
package injector
