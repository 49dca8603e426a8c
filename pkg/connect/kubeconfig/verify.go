package kubeconfig

import (
	"errors"
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"
)

// errMeaning is returned when the spliced result would not mean exactly the
// input plus the changes: a layout this editor gets wrong. Refusing is
// better than writing it.
var errMeaning = errors.New("internal error: the merged kubeconfig would not mean the input plus the new entries (a layout this editor does not handle); nothing was written")

// verify decodes both files and checks that out is src with ch applied and
// nothing else changed.
func verify(src, out []byte, ch Changes) error {
	var want, got any
	if err := yaml.Unmarshal(src, &want); err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		return fmt.Errorf("%w: %v", errMeaning, err)
	}
	root, _ := want.(map[string]any)
	if root == nil {
		root = map[string]any{"apiVersion": "v1", "kind": "Config", "clusters": []any{}, "contexts": []any{}, "users": []any{}}
	}
	for _, c := range ch.Clusters {
		setEntry(root, listClusters, c.Name, clusterNode(c).toAny(), func(have map[string]any) any {
			cm, _ := have["cluster"].(map[string]any)
			if cm == nil {
				return nil
			}
			cm["server"] = c.Server
			if c.CertificateAuthorityData != "" {
				cm["certificate-authority-data"] = c.CertificateAuthorityData
			}
			return have
		})
	}
	for _, c := range ch.Contexts {
		setEntry(root, listContexts, c.Name, contextNode(c).toAny(), nil)
	}
	for _, u := range ch.Users {
		setEntry(root, listUsers, u.Name, userNode(u).toAny(), nil)
	}
	if ch.CurrentContext != "" {
		root["current-context"] = ch.CurrentContext
	}
	if !equal(root, got) {
		return errMeaning
	}
	return nil
}

// setEntry puts entry into root[list]: in place of the first entry of that
// name (through update, when given) or at the end.
func setEntry(root map[string]any, list, name string, entry any, update func(map[string]any) any) {
	items, _ := root[list].([]any)
	for i, it := range items {
		m, _ := it.(map[string]any)
		if m == nil || m["name"] != name {
			continue
		}
		if update != nil {
			items[i] = update(m)
		} else {
			items[i] = entry
		}
		return
	}
	root[list] = append(items, entry)
}

// toAny is the node as yaml.v3 decodes it into an interface.
func (n *node) toAny() any {
	switch {
	case n.seq:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = it.toAny()
		}
		return out
	case n.keys != nil:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			out[k] = n.vals[i].toAny()
		}
		return out
	}
	if n.boolean {
		return true
	}
	return n.value
}

func equal(a, b any) bool { return reflect.DeepEqual(a, b) }
