package yamlsplice

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// LayoutError marks a layout the byte-level editor does not handle. Callers
// report it instead of guessing, so no file is ever half edited.
type LayoutError struct {
	Line int
	What string
}

func (e *LayoutError) Error() string {
	return fmt.Sprintf("line %d: %s is not supported for a lossless edit", e.Line, e.What)
}

// Unsupported is the LayoutError for node n.
func Unsupported(n *yaml.Node, what string) error {
	return &LayoutError{Line: n.Line, What: what}
}

// ValueStart is the offset of the node's own text, after any anchor or tag.
func (s *Source) ValueStart(n *yaml.Node) (int, error) {
	off, err := s.Offset(n)
	if err != nil {
		return 0, err
	}
	for off < len(s.b) && (s.b[off] == '&' || s.b[off] == '!') {
		for off < len(s.b) && s.b[off] != ' ' && s.b[off] != '\t' && BreakLen(s.b, off) == 0 {
			off++
		}
		off = s.SkipSpace(off, true)
	}
	return off, nil
}

// HasProperties reports whether the node starts with an anchor or a tag.
func (s *Source) HasProperties(n *yaml.Node) bool {
	off, err := s.Offset(n)
	return err == nil && off < len(s.b) && (s.b[off] == '&' || s.b[off] == '!')
}

// Span is the node's text: from its first character (Offset) to just past
// its last (End).
func (s *Source) Span(n *yaml.Node) (start, end int, err error) {
	if start, err = s.Offset(n); err != nil {
		return 0, 0, err
	}
	if end, err = s.End(n); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}

// End is the offset just past the node's last character. Only the shapes the
// editor needs are handled: single-line scalars, aliases and collections whose
// last element is one of those.
func (s *Source) End(n *yaml.Node) (int, error) {
	switch n.Kind {
	case yaml.AliasNode:
		off, err := s.Offset(n)
		if err != nil {
			return 0, err
		}
		if off >= len(s.b) || s.b[off] != '*' || !bytes.HasPrefix(s.b[off+1:], []byte(n.Value)) {
			return 0, Unsupported(n, "this alias")
		}
		return off + 1 + len(n.Value), nil
	case yaml.ScalarNode:
		return s.scalarEnd(n)
	case yaml.SequenceNode, yaml.MappingNode:
		return s.collectionEnd(n)
	}
	return 0, Unsupported(n, "this node")
}

func (s *Source) scalarEnd(n *yaml.Node) (int, error) {
	start, err := s.ValueStart(n)
	if err != nil {
		return 0, err
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return s.quotedEnd(n, start, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		return s.quotedEnd(n, start, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return 0, Unsupported(n, "a block scalar here")
	}
	// A plain scalar has no escapes: on one line its text is its value.
	if n.Value == "" || !bytes.HasPrefix(s.b[start:], []byte(n.Value)) {
		return 0, Unsupported(n, "a multi-line or empty plain scalar here")
	}
	return start + len(n.Value), nil
}

// quotedEnd scans a quoted scalar that must end on the line it starts on.
func (s *Source) quotedEnd(n *yaml.Node, start int, q byte) (int, error) {
	if start >= len(s.b) || s.b[start] != q {
		return 0, Unsupported(n, "this quoted scalar")
	}
	for i := start + 1; i < len(s.b); {
		if BreakLen(s.b, i) > 0 {
			return 0, Unsupported(n, "a multi-line quoted scalar here")
		}
		switch c := s.b[i]; {
		case q == '"' && c == '\\':
			i += 2
			continue
		case c == q && q == '\'' && i+1 < len(s.b) && s.b[i+1] == '\'':
			i += 2
			continue
		case c == q:
			return i + 1, nil
		}
		_, w := utf8.DecodeRune(s.b[i:])
		i += w
	}
	return 0, Unsupported(n, "an unterminated quoted scalar")
}

func (s *Source) collectionEnd(n *yaml.Node) (int, error) {
	flow := n.Style&yaml.FlowStyle != 0
	if !flow {
		if len(n.Content) == 0 {
			return 0, Unsupported(n, "an empty block collection")
		}
		return s.End(n.Content[len(n.Content)-1])
	}
	off, err := s.ValueStart(n)
	if err != nil {
		return 0, err
	}
	open, closing := byte('['), byte(']')
	if n.Kind == yaml.MappingNode {
		open, closing = '{', '}'
	}
	if off >= len(s.b) || s.b[off] != open {
		return 0, Unsupported(n, "this flow collection")
	}
	off++
	if len(n.Content) > 0 {
		if off, err = s.End(n.Content[len(n.Content)-1]); err != nil {
			return 0, err
		}
	}
	off = s.SkipSpace(off, true)
	if off < len(s.b) && s.b[off] == ',' {
		off = s.SkipSpace(off+1, true)
	}
	if off >= len(s.b) || s.b[off] != closing {
		return 0, Unsupported(n, "this flow collection")
	}
	return off + 1, nil
}

// ItemStart is where a sequence item begins: its dash in block style.
func (s *Source) ItemStart(seq, item *yaml.Node) (int, error) {
	off, err := s.Offset(item)
	if err != nil {
		return 0, err
	}
	if seq.Style&yaml.FlowStyle != 0 {
		return off, nil
	}
	i := off - 1
	for i >= 0 && (s.b[i] == ' ' || s.b[i] == '\t') {
		i--
	}
	if i >= 0 && s.b[i] == '-' {
		return i, nil
	}
	// The item starts on a later line than its dash ("- # note" above it):
	// walk up over blank and comment lines to the line holding the dash.
	for ls := s.LineStart(off); ls > 0; {
		ls = s.LineStart(ls - 1)
		line := strings.TrimLeft(s.LineText(ls), " \t")
		switch {
		case line == "" || line[0] == '#':
			continue
		case line[0] == '-':
			rest := strings.TrimLeft(line[1:], " \t")
			if rest == "" || rest[0] == '#' {
				return ls + strings.Index(s.LineText(ls), "-"), nil
			}
		}
		break
	}
	return 0, Unsupported(item, "this sequence item")
}

// LineText is the line starting at ls, without its line break.
func (s *Source) LineText(ls int) string {
	end := ls
	for end < len(s.b) && BreakLen(s.b, end) == 0 {
		end++
	}
	return string(s.b[ls:end])
}

// ColonAfter is the offset just past the ':' that follows a mapping key.
func (s *Source) ColonAfter(key *yaml.Node) (int, error) {
	off, err := s.End(key)
	if err != nil {
		return 0, err
	}
	off = s.SkipSpace(off, false)
	if off >= len(s.b) || s.b[off] != ':' {
		return 0, Unsupported(key, "this mapping key")
	}
	return off + 1, nil
}
