package injector

import (
	"strings"

	"gopkg.in/yaml.v3"
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
	off, err := s.offset(first)
	if err != nil {
		return l, err
	}
	if l.end, err = s.end(last); err != nil {
		return l, err
	}
	if seq.Style&yaml.FlowStyle != 0 {
		l.start, l.sep = off, ", "
		if len(items) > 1 {
			end, err := s.end(first)
			next, err2 := s.offset(items[1])
			if err != nil || err2 != nil || end > next || !flowSep.MatchString(string(s.b[end:next])) {
				return l, unsupported(items[1], "args with comments between items")
			}
			l.sep = string(s.b[end:next])
		}
		return l, nil
	}
	if l.start, err = s.itemStart(seq, first); err != nil {
		return l, err
	}
	prefix := string(s.b[s.lineStart(l.start):l.start])
	gap := string(s.b[l.start+1 : off])
	if strings.Trim(prefix, " ") != "" || gap == "" || strings.Trim(gap, " ") != "" {
		return l, unsupported(first, "this args layout")
	}
	l.lead, l.sep = "-"+gap, s.lineBreak()+prefix
	return l, nil
}

// texts returns the source text of each item, checking that the layout
// reproduces the items' text exactly.
func (l itemsLayout) texts(s *source, seq *yaml.Node) ([]string, error) {
	texts := make([]string, len(seq.Content))
	for i, it := range seq.Content {
		if it.Kind != yaml.ScalarNode || s.hasProperties(it) {
			return nil, unsupported(it, "an args item that is not a plain string")
		}
		start, err := s.offset(it)
		if err != nil {
			return nil, err
		}
		end, err := s.end(it)
		if err != nil {
			return nil, err
		}
		texts[i] = string(s.b[start:end])
	}
	if l.render(texts) != string(s.b[l.start:l.end]) {
		return nil, unsupported(seq, "args with comments or uneven spacing between items")
	}
	return texts, nil
}
