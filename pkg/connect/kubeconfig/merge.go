package kubeconfig

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// Merge returns src with the changes applied: entries with a new name are
// appended to their list (created when missing or null), a cluster of the
// same name gets its server and certificate-authority-data replaced in
// place, a user or context of the same name that differs is replaced as a
// whole (a name that is ours is our entry), and current-context is set when
// asked. An entry that already says what is asked changes no byte, so the
// same Merge twice is a no-op.
func Merge(src []byte, ch Changes) ([]byte, error) {
	f, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return f.Merge(ch)
}

// Merge is the package's Merge on a parsed file.
func (f *File) Merge(ch Changes) ([]byte, error) {
	src := f.src.Bytes()
	var out []byte
	if f.root == nil {
		out = f.appendDocument(ch)
	} else {
		m := &merger{f: f, st: f.style()}
		if err := m.merge(ch); err != nil {
			return nil, err
		}
		var err error
		if out, err = ys.Apply(src, m.edits); err != nil {
			return nil, err
		}
	}
	if err := verify(src, out, ch); err != nil {
		return nil, err
	}
	return out, nil
}

// merger collects the edits of one Merge.
type merger struct {
	f     *File
	st    style
	edits []ys.Edit
	// Keys the root lacks, added at its end in kubectl's order.
	rootLines []string // block style: whole lines
	rootParts []string // flow style: "key": value
}

func (m *merger) merge(ch Changes) error {
	var add []*node
	l := m.f.lists[listClusters]
	for _, c := range ch.Clusters {
		it, err := l.find(c.Name)
		if err != nil {
			return err
		}
		if it == nil {
			add = append(add, clusterNode(c))
			continue
		}
		if err := m.updateCluster(it, c); err != nil {
			return fmt.Errorf("cluster %q: %w", c.Name, err)
		}
	}
	if err := m.appendItems(l, add); err != nil {
		return err
	}
	contexts := make([]*node, len(ch.Contexts))
	for i, c := range ch.Contexts {
		contexts[i] = contextNode(c)
	}
	if err := m.upsert(m.f.lists[listContexts], names(ch.Contexts, func(c Context) string { return c.Name }), contexts); err != nil {
		return err
	}
	if err := m.setCurrent(ch.CurrentContext); err != nil {
		return err
	}
	users := make([]*node, len(ch.Users))
	for i, u := range ch.Users {
		users[i] = userNode(u)
	}
	if err := m.upsert(m.f.lists[listUsers], names(ch.Users, func(u User) string { return u.Name }), users); err != nil {
		return err
	}
	return m.finishRoot()
}

func names[T any](xs []T, name func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = name(x)
	}
	return out
}

// find is the entry of that name, nil if none; a name defined twice is
// refused, since which one kubectl uses is not ours to guess.
func (l *list) find(name string) (*yaml.Node, error) {
	if l.dup[name] {
		return nil, fmt.Errorf("%s has more than one entry named %q; remove all but one", l.name, name)
	}
	return l.items[name], nil
}

// upsert appends the entries that are missing and replaces those that
// exist with a different meaning.
func (m *merger) upsert(l *list, names []string, nodes []*node) error {
	var add []*node
	for i, name := range names {
		it, err := l.find(name)
		if err != nil {
			return err
		}
		if it == nil {
			add = append(add, nodes[i])
			continue
		}
		var have any
		if err := it.Decode(&have); err != nil {
			return fmt.Errorf("line %d: %w", it.Line, err)
		}
		if equal(have, nodes[i].toAny()) {
			continue
		}
		if err := m.replaceItem(l.seq, it, nodes[i]); err != nil {
			return fmt.Errorf("%s entry %q: %w", l.name, name, err)
		}
	}
	return m.appendItems(l, add)
}

// updateCluster replaces the server and CA values of an existing cluster
// entry where they differ, leaving its other fields and comments alone.
func (m *merger) updateCluster(it *yaml.Node, c Cluster) error {
	_, cm, err := ys.Lookup(it, "cluster")
	if err != nil {
		return err
	}
	if cm == nil || cm.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: the entry has no cluster mapping; remove it and run again", it.Line)
	}
	st := m.st
	if cm.Style&yaml.FlowStyle != 0 {
		st.flow = true
	}
	for _, kv := range [][2]string{{"server", c.Server}, {"certificate-authority-data", c.CertificateAuthorityData}} {
		field, want := kv[0], kv[1]
		if want == "" {
			continue
		}
		_, v, err := ys.Lookup(cm, field)
		if err != nil {
			return err
		}
		if v == nil || v.Kind != yaml.ScalarNode || (ys.IsNull(v) && v.Value == "") {
			return fmt.Errorf("line %d: the entry has no %s to update; remove it and run again", cm.Line, field)
		}
		if v.Value == want && !ys.IsNull(v) {
			continue
		}
		start, err := m.f.src.ValueStart(v)
		if err != nil {
			return err
		}
		end, err := m.f.src.End(v)
		if err != nil {
			return err
		}
		m.edits = append(m.edits, ys.Edit{Start: start, End: end, Text: st.scalar(want)})
	}
	return nil
}

// replaceItem writes n in place of the sequence item it.
func (m *merger) replaceItem(seq, it *yaml.Node, n *node) error {
	s := m.f.src
	end, err := s.End(it)
	if err != nil {
		return err
	}
	if seq.Style&yaml.FlowStyle != 0 {
		start, err := s.Offset(it)
		if err != nil {
			return err
		}
		m.edits = append(m.edits, ys.Edit{Start: start, End: end, Text: m.flowStyle().flowText(n, m.f.indentOf(it))})
		return nil
	}
	dash, err := s.ItemStart(seq, it)
	if err != nil {
		return err
	}
	prefix := string(s.Bytes()[s.LineStart(dash):dash])
	if strings.Trim(prefix, " ") != "" {
		return ys.Unsupported(it, "an item that does not start its line")
	}
	lines := m.st.blockItem(n, prefix)
	lines[0] = strings.TrimPrefix(lines[0], prefix)
	m.edits = append(m.edits, ys.Edit{Start: dash, End: end, Text: strings.Join(lines, m.st.lb)})
	return nil
}

// flowStyle is how to write inside a flow collection: the file's own style
// when the whole file is flow (JSON), else one-line YAML flow.
func (m *merger) flowStyle() style {
	if m.st.flow {
		return m.st
	}
	st := m.st
	st.flow, st.json, st.pretty = true, false, false
	return st
}

// appendItems adds items at the end of list l, creating it if needed.
func (m *merger) appendItems(l *list, items []*node) error {
	if len(items) == 0 {
		return nil
	}
	switch {
	case l.key == nil:
		m.addRootKey(l.name, sequence(items...))
		return nil
	case l.seq == nil:
		_, v, err := ys.Lookup(m.f.root, l.name)
		if err != nil {
			return err
		}
		if m.st.flow {
			return m.replaceValue(l.key, v, m.st.flowText(sequence(items...), m.f.indentOf(l.key)))
		}
		return m.blockAfterKey(l.key, v, items)
	case l.seq.Style&yaml.FlowStyle != 0:
		if !m.st.flow && len(l.seq.Content) == 0 {
			// "clusters: []" in a block file becomes a block list.
			return m.blockAfterKey(l.key, l.seq, items)
		}
		return m.flowAppend(l.key, l.seq, items)
	}
	return m.blockAppend(l.seq, items)
}

// replaceValue writes text in place of the value v of key (a null, which
// may have no text at all).
func (m *merger) replaceValue(key, v *yaml.Node, text string) error {
	s := m.f.src
	if ys.IsNull(v) && v.Value == "" {
		at, err := s.ColonAfter(key)
		m.edits = append(m.edits, ys.Edit{Start: at, End: at, Text: " " + text})
		return err
	}
	start, err := s.Offset(v)
	if err != nil {
		return err
	}
	end, err := s.End(v)
	m.edits = append(m.edits, ys.Edit{Start: start, End: end, Text: text})
	return err
}

// blockAfterKey removes key's value (a null or []) and writes items as a
// block list on the lines after the key's line.
func (m *merger) blockAfterKey(key, v *yaml.Node, items []*node) error {
	s := m.f.src
	indent := m.f.indentOf(key)
	if off, err := s.Offset(key); err != nil || s.Column(off) != len(indent) {
		return ys.Unsupported(key, "a key that does not start its line")
	}
	from, err := s.ColonAfter(key)
	if err != nil {
		return err
	}
	if !(ys.IsNull(v) && v.Value == "") {
		end, err := s.End(v)
		if err != nil {
			return err
		}
		m.edits = append(m.edits, ys.Edit{Start: from, End: end, Text: ""})
		from = end
	}
	var lines []string
	for _, it := range items {
		lines = append(lines, m.st.blockItem(it, indent+m.st.seqStep)...)
	}
	return m.insertLines(from, lines, v)
}

// blockAppend writes items after the last item of a block list, with the
// dash where the list's first item has it.
func (m *merger) blockAppend(seq *yaml.Node, items []*node) error {
	s := m.f.src
	dash, err := s.ItemStart(seq, seq.Content[0])
	if err != nil {
		return err
	}
	prefix := string(s.Bytes()[s.LineStart(dash):dash])
	if strings.Trim(prefix, " ") != "" {
		return ys.Unsupported(seq, "a list that does not start its line")
	}
	last := seq.Content[len(seq.Content)-1]
	end, err := s.End(last)
	if err != nil {
		return err
	}
	var lines []string
	for _, it := range items {
		lines = append(lines, m.st.blockItem(it, prefix)...)
	}
	return m.insertLines(end, lines, last)
}

// insertLines puts lines after the line holding offset from (past its
// comment), or at the end of a file that ends without a line break.
func (m *merger) insertLines(from int, lines []string, near *yaml.Node) error {
	at, ok := m.f.src.EndOfLine(from)
	lb := m.st.lb
	switch {
	case ok:
		m.edits = append(m.edits, ys.Edit{Start: at, End: at, Text: strings.Join(lines, lb) + lb})
	case at >= len(m.f.src.Bytes()):
		m.edits = append(m.edits, ys.Edit{Start: at, End: at, Text: lb + strings.Join(lines, lb)})
	default:
		return ys.Unsupported(near, "text after this value")
	}
	return nil
}

// flowSep matches a separator between flow items that can be repeated.
var flowSep = regexp.MustCompile(`^[ \t]*,[ \t\r\n]*$`)

// flowAppend adds items at the end of a flow list, separated like the
// items already there.
func (m *merger) flowAppend(key, seq *yaml.Node, items []*node) error {
	s := m.f.src
	st := m.flowStyle()
	open, err := s.ValueStart(seq)
	if err != nil {
		return err
	}
	if open >= len(s.Bytes()) || s.Bytes()[open] != '[' {
		return ys.Unsupported(seq, "this flow list")
	}
	if len(seq.Content) == 0 {
		if st.pretty {
			base := m.f.indentOf(key)
			in := base + st.unit
			texts := make([]string, len(items))
			for i, it := range items {
				texts[i] = st.flowText(it, in)
			}
			text := st.lb + in + strings.Join(texts, ","+st.lb+in) + st.lb + base
			m.edits = append(m.edits, ys.Edit{Start: open + 1, End: open + 1, Text: text})
			return nil
		}
		texts := make([]string, len(items))
		for i, it := range items {
			texts[i] = st.flowText(it, "")
		}
		m.edits = append(m.edits, ys.Edit{Start: open + 1, End: open + 1, Text: strings.Join(texts, ", ")})
		return nil
	}
	last := seq.Content[len(seq.Content)-1]
	end, err := s.End(last)
	if err != nil {
		return err
	}
	indent := m.f.indentOf(last)
	sep := ", "
	if len(seq.Content) > 1 {
		e0, err1 := s.End(seq.Content[0])
		o1, err2 := s.Offset(seq.Content[1])
		if err1 == nil && err2 == nil && e0 <= o1 && flowSep.MatchString(string(s.Bytes()[e0:o1])) {
			sep = string(s.Bytes()[e0:o1])
		}
	} else if last.Line != seq.Line {
		sep = "," + st.lb + indent
	}
	if !st.pretty {
		indent = ""
	}
	var b strings.Builder
	for _, it := range items {
		b.WriteString(sep + st.flowText(it, indent))
	}
	m.edits = append(m.edits, ys.Edit{Start: end, End: end, Text: b.String()})
	return nil
}

// setCurrent sets current-context.
func (m *merger) setCurrent(name string) error {
	if name == "" {
		return nil
	}
	f := m.f
	if f.curKey == nil {
		m.addRootKey("current-context", str(name))
		return nil
	}
	if !ys.IsNull(f.curVal) && f.curVal.Value == name {
		return nil
	}
	st := m.st
	if ys.IsNull(f.curVal) && f.curVal.Value == "" {
		return m.replaceValue(f.curKey, f.curVal, st.scalar(name))
	}
	start, err := f.src.ValueStart(f.curVal)
	if err != nil {
		return err
	}
	end, err := f.src.End(f.curVal)
	m.edits = append(m.edits, ys.Edit{Start: start, End: end, Text: st.scalar(name)})
	return err
}

// addRootKey queues a key the root lacks; finishRoot writes them.
func (m *merger) addRootKey(key string, v *node) {
	if m.st.flow {
		indent := ""
		if len(m.f.root.Content) > 0 {
			indent = m.f.indentOf(m.f.root.Content[0])
		}
		m.rootParts = append(m.rootParts, m.st.key(key)+": "+m.st.flowText(v, indent))
		return
	}
	indent := ""
	if len(m.f.root.Content) > 0 {
		indent = m.f.indentOf(m.f.root.Content[0])
	}
	if v.isScalar() {
		m.rootLines = append(m.rootLines, indent+key+": "+m.st.scalar(v.value))
		return
	}
	m.rootLines = append(m.rootLines, indent+key+":")
	for _, it := range v.items {
		m.rootLines = append(m.rootLines, m.st.blockItem(it, indent+m.st.seqStep)...)
	}
}

// finishRoot writes the queued root keys: at the end of the file for a
// block root, before the closing brace for a flow root.
func (m *merger) finishRoot() error {
	s := m.f.src
	b := s.Bytes()
	lb := m.st.lb
	if len(m.rootLines) > 0 {
		text := strings.Join(m.rootLines, lb) + lb
		if len(b) > 0 && s.BreakBefore(len(b)) == 0 {
			text = lb + strings.Join(m.rootLines, lb)
		}
		m.edits = append(m.edits, ys.Edit{Start: len(b), End: len(b), Text: text})
	}
	if len(m.rootParts) == 0 {
		return nil
	}
	root := m.f.root
	sep := ", "
	if m.st.pretty {
		sep = "," + lb + m.f.indentOf(root.Content[0])
	}
	if len(root.Content) == 0 {
		open, err := s.ValueStart(root)
		m.edits = append(m.edits, ys.Edit{Start: open + 1, End: open + 1, Text: strings.Join(m.rootParts, ", ")})
		return err
	}
	end, err := s.End(root.Content[len(root.Content)-1])
	m.edits = append(m.edits, ys.Edit{Start: end, End: end, Text: sep + strings.Join(m.rootParts, sep)})
	return err
}
