package injector

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
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
		var v interface{}
		if yaml.Unmarshal([]byte(s), &v) == nil && v == s {
			return s
		}
	}
	return quote(s)
}

// quote writes s as a double-quoted string that is both a JSON string and a
// YAML scalar: JSON leaves DEL, C1 controls, the BOM and U+FFFE/U+FFFF raw,
// which YAML readers reject, so those are escaped too.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
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
