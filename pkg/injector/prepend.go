package injector

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// newItem is a sequence item to insert, written for either style. In block
// style the first line follows the dash and the others are indented to it.
type newItem struct {
	flow  string
	block []string
}

// flowSep matches a separator between flow items we can repeat.
var flowSep = regexp.MustCompile(`^[ \t]*,[ \t\r\n]*$`)

// prependItems inserts items before the first item of seq, copying the
// layout of that item (its indentation in block style, the separator in
// flow style), so that Restore can remove exactly what was added.
func (d *document) prependItems(seq *yaml.Node, items []newItem) (edit, error) {
	s := d.src
	if seq.Style&yaml.FlowStyle != 0 {
		return d.prependFlow(seq, items)
	}
	first := seq.Content[0]
	dash, err := s.itemStart(seq, first)
	if err != nil {
		return edit{}, err
	}
	prefix := string(s.b[s.lineStart(dash):dash])
	if strings.Trim(prefix, " ") != "" {
		return edit{}, unsupported(first, "a sequence that does not start its line")
	}
	gap := " "
	if off, err := s.offset(first); err == nil && off > dash+1 && strings.Trim(string(s.b[dash+1:off]), " ") == "" {
		gap = string(s.b[dash+1 : off])
	}
	indent := prefix + strings.Repeat(" ", 1+len(gap))
	lb := s.lineBreak()
	var b strings.Builder
	for _, it := range items {
		b.WriteString("-" + gap + it.block[0] + lb)
		for _, line := range it.block[1:] {
			b.WriteString(indent + line + lb)
		}
		b.WriteString(prefix)
	}
	return edit{dash, dash, b.String()}, nil
}

func (d *document) prependFlow(seq *yaml.Node, items []newItem) (edit, error) {
	s := d.src
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.flow
	}
	open, err := s.valueStart(seq)
	if err != nil {
		return edit{}, err
	}
	if open >= len(s.b) || s.b[open] != '[' {
		return edit{}, unsupported(seq, "this flow sequence")
	}
	if len(seq.Content) == 0 {
		return edit{open + 1, open + 1, strings.Join(texts, ", ")}, nil
	}
	first, err := s.offset(seq.Content[0])
	if err != nil {
		return edit{}, err
	}
	sep := ", "
	if len(seq.Content) > 1 {
		end, err1 := s.end(seq.Content[0])
		next, err2 := s.offset(seq.Content[1])
		if err1 == nil && err2 == nil && end <= next && flowSep.MatchString(string(s.b[end:next])) {
			sep = string(s.b[end:next])
		}
	} else if lead := string(s.b[open+1 : first]); strings.ContainsAny(lead, "\r\n") && strings.Trim(lead, " \t\r\n") == "" {
		// One item on its own line: put ours on a line of its own too.
		sep = "," + lead
	}
	return edit{first, first, strings.Join(texts, sep) + sep}, nil
}
