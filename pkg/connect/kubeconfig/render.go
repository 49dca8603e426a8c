package kubeconfig

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// node is an entry to write, as an ordered tree: mappings keep the key
// order kubectl writes (alphabetical), so new entries look like their
// neighbours.
type node struct {
	value string // a scalar when keys and items are nil
	// boolean marks the scalar true, written plain (not the string "true").
	boolean bool
	keys    []string
	vals    []*node
	items   []*node
	seq     bool
}

func str(s string) *node { return &node{value: s} }

// yes is the boolean true.
func yes() *node { return &node{value: "true", boolean: true} }

// mapping builds a mapping from alternating keys and values.
func mapping(kv ...any) *node {
	n := &node{}
	for i := 0; i+1 < len(kv); i += 2 {
		n.keys = append(n.keys, kv[i].(string))
		n.vals = append(n.vals, kv[i+1].(*node))
	}
	return n
}

func sequence(items ...*node) *node { return &node{items: items, seq: true} }

func (n *node) isMap() bool    { return !n.seq && n.keys != nil }
func (n *node) isScalar() bool { return !n.seq && n.keys == nil }

func clusterNode(c Cluster) *node {
	cm := mapping()
	if c.CertificateAuthorityData != "" {
		cm = mapping("certificate-authority-data", str(c.CertificateAuthorityData))
	}
	cm.keys = append(cm.keys, "server")
	cm.vals = append(cm.vals, str(c.Server))
	return mapping("cluster", cm, "name", str(c.Name))
}

func userNode(u User) *node {
	if u.Token != "" {
		return mapping("name", str(u.Name), "user", mapping("token", str(u.Token)))
	}
	if u.ClientCertificateData != "" {
		return mapping("name", str(u.Name), "user", mapping("client-certificate-data", str(u.ClientCertificateData), "client-key-data", str(u.ClientKeyData)))
	}
	e := mapping("apiVersion", str(u.Exec.APIVersion))
	if len(u.Exec.Args) > 0 {
		args := sequence()
		for _, a := range u.Exec.Args {
			args.items = append(args.items, str(a))
		}
		e.keys, e.vals = append(e.keys, "args"), append(e.vals, args)
	}
	e.keys, e.vals = append(e.keys, "command"), append(e.vals, str(u.Exec.Command))
	if len(u.Exec.Env) > 0 {
		env := sequence()
		for _, v := range u.Exec.Env {
			env.items = append(env.items, mapping("name", str(v.Name), "value", str(v.Value)))
		}
		e.keys, e.vals = append(e.keys, "env"), append(e.vals, env)
	}
	if u.Exec.InstallHint != "" {
		e.keys, e.vals = append(e.keys, "installHint"), append(e.vals, str(u.Exec.InstallHint))
	}
	if u.Exec.ProvideClusterInfo {
		e.keys, e.vals = append(e.keys, "provideClusterInfo"), append(e.vals, yes())
	}
	return mapping("name", str(u.Name), "user", mapping("exec", e))
}

func contextNode(c Context) *node {
	return mapping("context", mapping("cluster", str(c.Cluster), "user", str(c.User)), "name", str(c.Name))
}

// style is how the file writes things, so inserted text matches it.
type style struct {
	lb string // line break
	// Block style.
	mapStep string // indentation of a nested mapping under its key
	seqStep string // indentation of a block sequence's dash under its key
	gap     string // between a dash and its item
	// Flow style (the root is a flow mapping: JSON, mostly).
	flow   bool
	json   bool   // keys and strings are double-quoted
	pretty bool   // one entry per line
	unit   string // indentation step of pretty flow text
}

// plainBlock and plainFlow match strings that may be written plain in block
// and in flow context; scalar then checks that the text reads back as the
// same string ("-1", "-" or "---" do not). A colon is safe in block context
// unless followed by a blank or last.
var (
	plainBlock = regexp.MustCompile(`^[A-Za-z_./-][A-Za-z0-9_./@+=:-]*$`)
	plainFlow  = regexp.MustCompile(`^[A-Za-z_./-][A-Za-z0-9_./@+=-]*$`)
)

// yaml11Words are booleans or nulls to YAML 1.1 readers (sigs.k8s.io/yaml).
var yaml11Words = map[string]bool{"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}

// text is a scalar node as written: a boolean plain, a string by scalar.
func (st style) text(n *node) string {
	if n.boolean {
		return n.value
	}
	return st.scalar(n.value)
}

func (st style) scalar(s string) string {
	if st.json {
		return ys.Quote(s)
	}
	re := plainBlock
	if st.flow {
		re = plainFlow
	}
	if !re.MatchString(s) || strings.HasSuffix(s, ":") || yaml11Words[strings.ToLower(s)] {
		return ys.Quote(s)
	}
	// A letter, "_" or "/" first cannot start a number, a null, a boolean
	// (but the words above) or a document marker; "-" and "." can ("-1",
	// ".5", ".inf", "---"), so those must read back as the same string.
	if s[0] == '-' || s[0] == '.' {
		var v any
		if yaml.Unmarshal([]byte(s), &v) != nil || v != s {
			return ys.Quote(s)
		}
	}
	return s
}

func (st style) key(k string) string {
	if st.json {
		return `"` + k + `"`
	}
	return k
}

// blockMap renders a mapping's entries, one line each, at indent.
func (st style) blockMap(m *node, indent string) []string {
	var lines []string
	for i, k := range m.keys {
		v := m.vals[i]
		switch {
		case v.isScalar():
			lines = append(lines, indent+k+": "+st.text(v))
		case v.seq && len(v.items) == 0:
			lines = append(lines, indent+k+": []")
		case v.seq:
			lines = append(lines, indent+k+":")
			for _, it := range v.items {
				lines = append(lines, st.blockItem(it, indent+st.seqStep)...)
			}
		default:
			lines = append(lines, indent+k+":")
			lines = append(lines, st.blockMap(v, indent+st.mapStep)...)
		}
	}
	return lines
}

// blockItem renders a sequence item with its dash at indent.
func (st style) blockItem(it *node, indent string) []string {
	dash := indent + "-" + st.gap
	if !it.isMap() {
		return []string{dash + st.text(it)}
	}
	inner := indent + strings.Repeat(" ", 1+len(st.gap))
	lines := st.blockMap(it, inner)
	lines[0] = dash + strings.TrimPrefix(lines[0], inner)
	return lines
}

// flowText renders n as flow text: on one line, or (pretty) with one entry
// per line, nested entries indented by unit from indent.
func (st style) flowText(n *node, indent string) string {
	open, closing := "{", "}"
	var parts []string
	switch {
	case n.isScalar():
		return st.text(n)
	case n.seq:
		open, closing = "[", "]"
		for _, it := range n.items {
			parts = append(parts, st.flowText(it, indent+st.unit))
		}
	default:
		for i, k := range n.keys {
			parts = append(parts, st.key(k)+": "+st.flowText(n.vals[i], indent+st.unit))
		}
	}
	if len(parts) == 0 {
		return open + closing
	}
	if !st.pretty {
		return open + strings.Join(parts, ", ") + closing
	}
	in := indent + st.unit
	return open + st.lb + in + strings.Join(parts, ","+st.lb+in) + st.lb + indent + closing
}
