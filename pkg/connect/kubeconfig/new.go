package kubeconfig

import "strings"

// New is a standalone kubeconfig holding only the changes, in kubectl's
// layout (for -k -, or a file that does not exist yet).
func New(ch Changes) []byte {
	return []byte(newText(ch, "\n"))
}

func newText(ch Changes, lb string) string {
	st := style{lb: lb, mapStep: "  ", gap: " ", unit: "  "}
	clusters, contexts, users := sequence(), sequence(), sequence()
	for _, c := range ch.Clusters {
		clusters.items = append(clusters.items, clusterNode(c))
	}
	for _, c := range ch.Contexts {
		contexts.items = append(contexts.items, contextNode(c))
	}
	for _, u := range ch.Users {
		users.items = append(users.items, userNode(u))
	}
	root := mapping("apiVersion", str("v1"), "clusters", clusters, "contexts", contexts)
	if ch.CurrentContext != "" {
		root.keys, root.vals = append(root.keys, "current-context"), append(root.vals, str(ch.CurrentContext))
	}
	root.keys = append(root.keys, "kind", "users")
	root.vals = append(root.vals, str("Config"), users)
	return strings.Join(st.blockMap(root, ""), lb) + lb
}

// appendDocument is Merge on a file with no document yet (empty, or only
// comments): the new kubeconfig goes after what is there.
func (f *File) appendDocument(ch Changes) []byte {
	b := f.src.Bytes()
	lb := f.src.LineBreak()
	out := append([]byte(nil), b...)
	if len(b) > 0 && f.src.BreakBefore(len(b)) == 0 {
		out = append(out, lb...)
	}
	return append(out, newText(ch, lb)...)
}
