package injector

import (
	"strings"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// itemsLayout is the text of a sequence's items, from the first item's
// start (its dash in block style) to the last item's end, and how the items
// are laid out there. --native-eks replaces that whole text, so the items
// must be laid out evenly: render(texts) of the old items must give the old
// text back, or Restore could not.
type itemsLayout struct {
	start, end int
	lead       string // before each item: "-" and the gap in block style
	sep        string // between items
}

func (l itemsLayout) render(texts []string) string {
	return l.lead + strings.Join(texts, l.sep+l.lead)
}

func (d *document) itemsLayout(seq *yaml.Node) (itemsLayout, error) {
	s := d.src
	items := seq.Content
	var l itemsLayout
	first, last := items[0], items[len(items)-1]
	off, err := s.Offset(first)
	if err != nil {
		return l, err
	}
	if l.end, err = s.End(last); err != nil {
		return l, err
	}
	if seq.Style&yaml.FlowStyle != 0 {
		l.start, l.sep = off, ", "
		if len(items) > 1 {
			end, err := s.End(first)
			next, err2 := s.Offset(items[1])
			if err != nil || err2 != nil || end > next || !flowSep.MatchString(string(s.Bytes()[end:next])) {
				return l, ys.Unsupported(items[1], "args with comments between items")
			}
			l.sep = string(s.Bytes()[end:next])
		}
		return l, nil
	}
	if l.start, err = s.ItemStart(seq, first); err != nil {
		return l, err
	}
	prefix := string(s.Bytes()[s.LineStart(l.start):l.start])
	gap := string(s.Bytes()[l.start+1 : off])
	if strings.Trim(prefix, " ") != "" || gap == "" || strings.Trim(gap, " ") != "" {
		return l, ys.Unsupported(first, "this args layout")
	}
	l.lead, l.sep = "-"+gap, s.LineBreak()+prefix
	return l, nil
}

// texts returns the source text of each item, checking that the layout
// reproduces the items' text exactly.
func (l itemsLayout) texts(s *source, seq *yaml.Node) ([]string, error) {
	texts := make([]string, len(seq.Content))
	for i, it := range seq.Content {
		if it.Kind != yaml.ScalarNode || s.HasProperties(it) {
			return nil, ys.Unsupported(it, "an args item that is not a plain string")
		}
		start, end, err := s.Span(it)
		if err != nil {
			return nil, err
		}
		texts[i] = string(s.Bytes()[start:end])
	}
	if l.render(texts) != string(s.Bytes()[l.start:l.end]) {
		return nil, ys.Unsupported(seq, "args with comments or uneven spacing between items")
	}
	return texts, nil
}
