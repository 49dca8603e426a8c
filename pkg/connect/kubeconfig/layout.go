package kubeconfig

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// style reads the file's layout from its existing entries: kubectl's (two
// spaces, list dashes under their key) unless the file does otherwise.
func (f *File) style() style {
	st := style{lb: f.src.LineBreak(), mapStep: "  ", gap: " ", unit: "  "}
	if f.root == nil {
		return st
	}
	if f.flow {
		st.flow = true
		st.json = len(f.root.Content) == 0 || f.root.Content[0].Style&yaml.DoubleQuotedStyle != 0
		st.pretty = len(f.root.Content) > 0 && f.root.Content[0].Line != f.root.Line
		if st.pretty {
			if u := f.column(f.root.Content[0]) - f.column(f.root); u > 0 {
				st.unit = strings.Repeat(" ", u)
			}
		}
		return st
	}
	seqFound, mapFound := false, false
	for _, name := range []string{listClusters, listContexts, listUsers} {
		l := f.lists[name]
		if l.seq == nil || l.seq.Style&yaml.FlowStyle != 0 || len(l.seq.Content) == 0 {
			continue
		}
		first := l.seq.Content[0]
		if !seqFound {
			if dash, err := f.src.ItemStart(l.seq, first); err == nil {
				if n := f.src.Column(dash) - f.column(l.key); n >= 0 {
					st.seqStep = strings.Repeat(" ", n)
					seqFound = true
				}
				if off, err := f.src.Offset(first); err == nil && off > dash+1 && strings.Trim(string(f.src.Bytes()[dash+1:off]), " ") == "" {
					st.gap = string(f.src.Bytes()[dash+1 : off])
				}
			}
		}
		if !mapFound {
			if step, ok := f.mapStep(first); ok {
				st.mapStep = strings.Repeat(" ", step)
				mapFound = true
			}
		}
	}
	return st
}

// mapStep finds a block mapping nested in item and returns how far its keys
// sit right of its key.
func (f *File) mapStep(item *yaml.Node) (int, bool) {
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 {
			continue
		}
		if n := f.column(v.Content[0]) - f.column(k); n > 0 {
			return n, true
		}
	}
	return 0, false
}

// column is the 0-based character column of the node, -1 if unknown.
func (f *File) column(n *yaml.Node) int {
	off, err := f.src.Offset(n)
	if err != nil {
		return -1
	}
	return f.src.Column(off)
}

// indentOf is the blanks before the node on its line.
func (f *File) indentOf(n *yaml.Node) string {
	off, err := f.src.Offset(n)
	if err != nil {
		return ""
	}
	pre := string(f.src.Bytes()[f.src.LineStart(off):off])
	if strings.Trim(pre, " \t") != "" {
		return ""
	}
	return pre
}
