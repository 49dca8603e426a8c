package yamlsplice

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Lookup finds key in mapping m. Merge keys and duplicate keys make the
// effective value depend on the reader, so they are refused, and so is an
// alias as the value (editing it would edit its anchor).
func Lookup(m *yaml.Node, key string) (k, v *yaml.Node, err error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		if kn.Kind == yaml.ScalarNode && kn.Value == "<<" && kn.Tag == "!!merge" {
			return nil, nil, fmt.Errorf("line %d: merge keys (<<) are not supported here", kn.Line)
		}
		if kn.Kind != yaml.ScalarNode || kn.Value != key {
			continue
		}
		if k != nil {
			return nil, nil, fmt.Errorf("line %d: %s is defined twice (also line %d)", kn.Line, key, k.Line)
		}
		k, v = kn, m.Content[i+1]
	}
	if v != nil && v.Kind == yaml.AliasNode {
		return nil, nil, fmt.Errorf("line %d: %s is an alias; aliases are not supported here", v.Line, key)
	}
	return k, v, nil
}

// IsNull reports a missing value or a YAML null.
func IsNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}
