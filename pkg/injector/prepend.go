package injector

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
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
	dash, err := s.ItemStart(seq, ref)
	if err != nil {
		return edit{}, err
	}
	prefix := string(s.Bytes()[s.LineStart(dash):dash])
	if strings.Trim(prefix, " ") != "" {
		return edit{}, ys.Unsupported(ref, "a sequence that does not start its line")
	}
	gap := " "
	if off, err := s.Offset(ref); err == nil && off > dash+1 && strings.Trim(string(s.Bytes()[dash+1:off]), " ") == "" {
		gap = string(s.Bytes()[dash+1 : off])
	}
	indent := prefix + strings.Repeat(" ", 1+len(gap))
	lb := s.LineBreak()
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
		end, err := s.End(ref)
		return edit{Start: end, End: end, Text: b.String()}, err
	}
	return edit{Start: dash, End: dash, Text: b.String()}, nil
}

func (d *document) insertFlow(seq *yaml.Node, at int, items []newItem) (edit, error) {
	s := d.src
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.flow
	}
	open, err := s.ValueStart(seq)
	if err != nil {
		return edit{}, err
	}
	if open >= len(s.Bytes()) || s.Bytes()[open] != '[' {
		return edit{}, ys.Unsupported(seq, "this flow sequence")
	}
	if len(seq.Content) == 0 {
		return edit{Start: open + 1, End: open + 1, Text: strings.Join(texts, ", ")}, nil
	}
	first, err := s.Offset(seq.Content[0])
	if err != nil {
		return edit{}, err
	}
	sep := ", "
	if len(seq.Content) > 1 {
		end, err1 := s.End(seq.Content[0])
		next, err2 := s.Offset(seq.Content[1])
		if err1 == nil && err2 == nil && end <= next && flowSep.MatchString(string(s.Bytes()[end:next])) {
			sep = string(s.Bytes()[end:next])
		}
	} else if lead := string(s.Bytes()[open+1 : first]); strings.ContainsAny(lead, "\r\n") && strings.Trim(lead, " \t\r\n") == "" {
		// One item on its own line: put ours on a line of its own too.
		sep = "," + lead
	}
	if at == len(seq.Content) {
		end, err := s.End(seq.Content[at-1])
		return edit{Start: end, End: end, Text: sep + strings.Join(texts, sep)}, err
	}
	off, err := s.Offset(seq.Content[at])
	return edit{Start: off, End: off, Text: strings.Join(texts, sep) + sep}, err
}
