// Package yamlsplice edits YAML documents by splicing bytes: yaml.v3 nodes
// locate what to change (their line and column), and the edits replace only
// those bytes, so comments, order, quoting, indentation and line breaks of
// everything else stay as they were. Shared by the kubeconfig editors
// (pkg/injector, pkg/connect/kubeconfig).
package yamlsplice

import (
	"bytes"
	"fmt"
	"sort"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Source maps yaml.v3 node positions (1-based line and column, counted in
// characters) to byte offsets in the original document.
type Source struct {
	b          []byte
	lineStarts []int // byte offset of the first character of each line
}

var bom = []byte("\xEF\xBB\xBF")

// NewSource indexes the lines of b.
func NewSource(b []byte) *Source {
	s := &Source{b: b}
	start := 0
	// The YAML reader drops a byte order mark before it counts columns.
	if bytes.HasPrefix(b, bom) {
		start = len(bom)
	}
	s.lineStarts = append(s.lineStarts, start)
	for i := start; i < len(b); {
		if n := BreakLen(b, i); n > 0 {
			i += n
			s.lineStarts = append(s.lineStarts, i)
			continue
		}
		_, w := utf8.DecodeRune(b[i:])
		i += w
	}
	return s
}

// BreakLen is the length of the line break at b[i], 0 if none. It follows
// yaml.v3, which also breaks lines at NEL, LS and PS; a position computed
// with fewer break characters would point at the wrong bytes.
func BreakLen(b []byte, i int) int {
	switch {
	case b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n':
		return 2
	case b[i] == '\r' || b[i] == '\n':
		return 1
	case bytes.HasPrefix(b[i:], []byte("\xC2\x85")):
		return 2
	case bytes.HasPrefix(b[i:], []byte("\xE2\x80\xA8")), bytes.HasPrefix(b[i:], []byte("\xE2\x80\xA9")):
		return 3
	}
	return 0
}

// Offset is the byte offset of the node's first character (its anchor or tag
// when it has one).
func (s *Source) Offset(n *yaml.Node) (int, error) {
	if n.Line < 1 || n.Line > len(s.lineStarts) {
		return 0, fmt.Errorf("line %d: position out of range", n.Line)
	}
	off := s.lineStarts[n.Line-1]
	for c := 1; c < n.Column; c++ {
		if off >= len(s.b) || BreakLen(s.b, off) > 0 {
			return 0, fmt.Errorf("line %d: column %d out of range", n.Line, n.Column)
		}
		_, w := utf8.DecodeRune(s.b[off:])
		off += w
	}
	return off, nil
}

// LineStart is the offset of the start of the line holding off.
func (s *Source) LineStart(off int) int {
	i := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
	if i == 0 {
		return 0 // before the first line: inside a byte order mark
	}
	return s.lineStarts[i-1]
}

// Column is the 0-based character column of off.
func (s *Source) Column(off int) int {
	return utf8.RuneCount(s.b[s.LineStart(off):off])
}

// LineBreak is the file's line break, so inserted lines match the others.
func (s *Source) LineBreak() string {
	for i := range s.b {
		if n := BreakLen(s.b, i); n > 0 {
			return string(s.b[i : i+n])
		}
	}
	return "\n"
}

// SkipSpace moves past blanks (and, in flow context, line breaks and
// comments) from off.
func (s *Source) SkipSpace(off int, flow bool) int {
	for off < len(s.b) {
		switch c := s.b[off]; {
		case c == ' ' || c == '\t':
			off++
		case flow && BreakLen(s.b, off) > 0:
			off += BreakLen(s.b, off)
		case flow && c == '#':
			for off < len(s.b) && BreakLen(s.b, off) == 0 {
				off++
			}
		default:
			return off
		}
	}
	return off
}

// EndOfLine moves past blanks and a comment to the line break after off and
// returns the offset just after that break (or the end of the file) and
// whether a break was found.
func (s *Source) EndOfLine(off int) (int, bool) {
	off = s.SkipSpace(off, false)
	if off < len(s.b) && s.b[off] == '#' {
		for off < len(s.b) && BreakLen(s.b, off) == 0 {
			off++
		}
	}
	if off >= len(s.b) {
		return off, false
	}
	n := BreakLen(s.b, off)
	if n == 0 {
		return off, false
	}
	return off + n, true
}

// Bytes is the document.
func (s *Source) Bytes() []byte { return s.b }

// BreakBefore is the length of the line break that ends just before off.
func (s *Source) BreakBefore(off int) int {
	for n := 3; n >= 1; n-- {
		if off-n >= 0 && BreakLen(s.b, off-n) == n {
			return n
		}
	}
	return 0
}
