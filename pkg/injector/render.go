package injector

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// plainSafe matches strings that read back as the same string in YAML 1.1
// and 1.2, in block and flow context; anything else is double-quoted.
var plainSafe = regexp.MustCompile(`^([A-Za-z_./]|--?[A-Za-z])[A-Za-z0-9_./@+=-]*$`)

// yaml11Words are booleans to YAML 1.1 readers such as sigs.k8s.io/yaml.
var yaml11Words = map[string]bool{"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}

// scalar renders s for insertion. JSON files get JSON strings; YAML files get
// plain text when that is unambiguous.
func (d *document) scalar(s string) string {
	if !d.json && plainSafe.MatchString(s) && !yaml11Words[strings.ToLower(s)] {
		var v any
		if yaml.Unmarshal([]byte(s), &v) == nil && v == s {
			return s
		}
	}
	return ys.Quote(s)
}

// key renders a mapping key we add.
func (d *document) key(k string) string {
	if d.json {
		return `"` + k + `"`
	}
	return k
}

// flowEnv renders env entries as a flow sequence body: {name: N, value: V}, ...
func (d *document) flowEnv(entries []envEntry, sep string) string {
	parts := make([]string, len(entries))
	for i, e := range entries {
		parts[i] = "{" + d.key("name") + ": " + d.scalar(e.name) + ", " + d.key("value") + ": " + d.scalar(e.value) + "}"
	}
	return strings.Join(parts, sep)
}

type envEntry struct{ name, value string }
