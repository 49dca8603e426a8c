package picker

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// ErrCancelled is returned when the person gives up (Esc, Ctrl-C).
var ErrCancelled = errors.New("nothing picked")

// Pick shows labels on the terminal out, reads keys from in (a terminal,
// put in raw mode for the duration) and returns the index of the label
// picked. The picker's lines are erased before it returns.
func Pick(in *os.File, out io.Writer, labels []string) (int, error) {
	if len(labels) == 0 {
		return 0, errors.New("nothing to pick from")
	}
	fd := int(in.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		return 0, fmt.Errorf("could not set up the terminal: %w", err)
	}
	defer term.Restore(fd, state)
	width, height := 80, 24
	if f, ok := out.(*os.File); ok {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil {
			width, height = w, h
		}
	}
	m := newModel(labels, min(10, height-3))
	s := &screen{w: out}
	defer s.erase()
	s.draw(m.view(width))
	buf := make([]byte, 64)
	for {
		n, err := in.Read(buf)
		if err != nil {
			return 0, fmt.Errorf("could not read the terminal: %w", err)
		}
		for _, k := range decode(buf[:n]) {
			switch m.press(k.k, k.r) {
			case picked:
				return m.choice(), nil
			case cancelled:
				return 0, ErrCancelled
			}
		}
		s.draw(m.view(width))
	}
}

// screen redraws a block of lines in place. In raw mode a line break is
// "\r\n", and the cursor stays on the block's first line between draws.
type screen struct {
	w     io.Writer
	lines int
}

func (s *screen) draw(lines []string) {
	var b strings.Builder
	b.WriteString("\r\033[J") // from the block's start, clear to the end
	b.WriteString(strings.Join(lines, "\r\n"))
	if len(lines) > 1 {
		fmt.Fprintf(&b, "\033[%dA", len(lines)-1)
	}
	// Park the cursor at the end of the filter line, where typing shows.
	fmt.Fprintf(&b, "\r\033[%dC", len([]rune(lines[0])))
	io.WriteString(s.w, b.String())
	s.lines = len(lines)
}

func (s *screen) erase() {
	io.WriteString(s.w, "\r\033[J")
}
