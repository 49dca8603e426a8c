// Package kubeconfig adds and updates clusters, users and contexts in a
// kubeconfig without re-encoding it: yaml.v3 nodes locate the lists, and new
// entries are spliced into the original bytes in the file's own layout
// (block or flow, indentation, line breaks, JSON). Every byte it does not
// own stays: comments, order, other entries. Each result is checked by
// decoding it: it must mean the input plus the requested changes and
// nothing else, or Merge refuses.
package kubeconfig
