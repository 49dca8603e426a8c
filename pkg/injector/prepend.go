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

// prependItems inserts items before the first item of seq.
func (d *document) prependItems(seq *yaml.Node, items []newItem) (edit, error) {
	return d.insertItems(seq, 0, items)
}

// insertItems inserts items before item at of seq, or after the last one
// when at is len(seq.Content), copying the layout of the item next to them
// (its indentation in block style, the separator in flow style), so that
// Restore can remove exactly what was added.
func (d *document) insertItems(seq *yaml.Node, at int, items []newItem) (edit, error) {
	s := d.src
	if seq.Style&yaml.FlowStyle != 0 {
		return d.insertFlow(seq, at, items)
	}
	after := at == len(seq.Content)
	ref := seq.Content[min(at, len(seq.Content)-1)]
	dash, err := s.itemStart(seq, ref)
	if err != nil {
		return edit{}, err
	}
	prefix := string(s.b[s.lineStart(dash):dash])
	if strings.Trim(prefix, " ") != "" {
		return edit{}, unsupported(ref, "a sequence that does not start its line")
	}
	gap := " "
	if off, err := s.offset(ref); err == nil && off > dash+1 && strings.Trim(string(s.b[dash+1:off]), " ") == "" {
		gap = string(s.b[dash+1 : off])
	}
	indent := prefix + strings.Repeat(" ", 1+len(gap))
	lb := s.lineBreak()
	var b strings.Builder
	for _, it := range items {
		if after {
			b.WriteString(lb + prefix)
		}
		b.WriteString("-" + gap + it.block[0])
		for _, line := range it.block[1:] {
			b.WriteString(lb + indent + line)
		}
		if !after {
			b.WriteString(lb + prefix)
		}
	}
	if after {
		end, err := s.end(ref)
		return edit{end, end, b.String()}, err
	}
	return edit{dash, dash, b.String()}, nil
}

func (d *document) insertFlow(seq *yaml.Node, at int, items []newItem) (edit, error) {
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
	if at == len(seq.Content) {
		end, err := s.end(seq.Content[at-1])
		return edit{end, end, sep + strings.Join(texts, sep)}, err
	}
	off, err := s.offset(seq.Content[at])
	return edit{off, off, strings.Join(texts, sep) + sep}, err
}
