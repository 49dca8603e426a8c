// Package picker lets a person choose one line of a list on a terminal:
// typing filters (every word must appear, any case), the arrow keys (or
// Ctrl-P/Ctrl-N) move, Enter picks, Esc or Ctrl-C gives up.
package picker

import (
	"fmt"
	"strings"
	"unicode"
)

// model is the picker's state, apart from the terminal.
type model struct {
	labels  []string
	lower   []string
	filter  []rune
	matches []int // indices into labels
	cursor  int   // index into matches
	top     int   // first match shown
	height  int   // rows of matches shown
}

func newModel(labels []string, height int) *model {
	m := &model{labels: labels, height: max(height, 1)}
	for _, l := range labels {
		m.lower = append(m.lower, strings.ToLower(l))
	}
	m.refilter()
	return m
}

// key is one keypress.
type key int

const (
	keyRune key = iota
	keyUp
	keyDown
	keyPageUp
	keyPageDown
	keyEnter
	keyBackspace
	keyClear
	keyCancel
	keyNone
)

// outcome of a keypress.
type outcome int

const (
	going outcome = iota
	picked
	cancelled
)

func (m *model) press(k key, r rune) outcome {
	switch k {
	case keyRune:
		m.filter = append(m.filter, r)
		m.refilter()
	case keyBackspace:
		if len(m.filter) > 0 {
			m.filter = m.filter[:len(m.filter)-1]
			m.refilter()
		}
	case keyClear:
		m.filter = nil
		m.refilter()
	case keyUp:
		m.move(-1)
	case keyDown:
		m.move(1)
	case keyPageUp:
		m.move(-m.height)
	case keyPageDown:
		m.move(m.height)
	case keyEnter:
		if len(m.matches) > 0 {
			return picked
		}
	case keyCancel:
		return cancelled
	}
	return going
}

// choice is the label index under the cursor.
func (m *model) choice() int { return m.matches[m.cursor] }

func (m *model) move(d int) {
	if len(m.matches) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+d, 0), len(m.matches)-1)
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+m.height {
		m.top = m.cursor - m.height + 1
	}
}

func (m *model) refilter() {
	words := strings.Fields(strings.ToLower(string(m.filter)))
	m.matches = m.matches[:0]
	for i, l := range m.lower {
		ok := true
		for _, w := range words {
			if !strings.Contains(l, w) {
				ok = false
				break
			}
		}
		if ok {
			m.matches = append(m.matches, i)
		}
	}
	m.cursor, m.top = 0, 0
}

// view is the screen: the filter line, then the visible matches with the
// cursor's marked, then a count.
func (m *model) view(width int) []string {
	lines := []string{"> " + string(m.filter)}
	for i := m.top; i < len(m.matches) && i < m.top+m.height; i++ {
		mark := "  "
		if i == m.cursor {
			mark = "▸ "
		}
		lines = append(lines, clip(mark+m.labels[m.matches[i]], width))
	}
	lines = append(lines, fmt.Sprintf("  %d/%d  ↑/↓ move · type to filter · enter picks · esc quits", len(m.matches), len(m.labels)))
	return lines
}

// clip keeps a line within the terminal, so it never wraps (a wrapped line
// would break the redraw).
func clip(s string, width int) string {
	if width <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) < width {
		return s
	}
	return string(r[:width-1])
}

// decode splits terminal input into keys.
func decode(b []byte) []struct {
	k key
	r rune
} {
	var out []struct {
		k key
		r rune
	}
	add := func(k key, r rune) {
		out = append(out, struct {
			k key
			r rune
		}{k, r})
	}
	s := string(b)
	for len(s) > 0 {
		switch {
		case s == "\x1b":
			add(keyCancel, 0)
			s = ""
		case strings.HasPrefix(s, "\x1b[A"), strings.HasPrefix(s, "\x1bOA"):
			add(keyUp, 0)
			s = s[3:]
		case strings.HasPrefix(s, "\x1b[B"), strings.HasPrefix(s, "\x1bOB"):
			add(keyDown, 0)
			s = s[3:]
		case strings.HasPrefix(s, "\x1b[5~"):
			add(keyPageUp, 0)
			s = s[4:]
		case strings.HasPrefix(s, "\x1b[6~"):
			add(keyPageDown, 0)
			s = s[4:]
		case s[0] == 0x1b:
			// Another escape sequence (a function key): skip it whole.
			i := 1
			if len(s) > 1 && (s[1] == '[' || s[1] == 'O') {
				i = 2
				for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
					i++
				}
				i++
			}
			s = s[min(i, len(s)):]
		case s[0] == '\r' || s[0] == '\n':
			add(keyEnter, 0)
			s = s[1:]
		case s[0] == 0x7f || s[0] == 0x08:
			add(keyBackspace, 0)
			s = s[1:]
		case s[0] == 0x15: // Ctrl-U
			add(keyClear, 0)
			s = s[1:]
		case s[0] == 0x03 || s[0] == 0x04: // Ctrl-C, Ctrl-D
			add(keyCancel, 0)
			s = s[1:]
		case s[0] == 0x10: // Ctrl-P
			add(keyUp, 0)
			s = s[1:]
		case s[0] == 0x0e: // Ctrl-N
			add(keyDown, 0)
			s = s[1:]
		default:
			r := []rune(s)[0]
			if unicode.IsPrint(r) {
				add(keyRune, r)
			}
			s = s[len(string(r)):]
		}
	}
	return out
}
