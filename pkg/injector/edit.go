package injector

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// apply splices non-overlapping edits into src.
func apply(src []byte, edits []edit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out []byte
	prev := 0
	for _, e := range edits {
		if e.start < prev || e.end < e.start || e.end > len(src) {
			return nil, fmt.Errorf("internal error: overlapping edits at byte %d", e.start)
		}
		out = append(out, src[prev:e.start]...)
		out = append(out, e.text...)
		prev = e.end
	}
	return append(out, src[prev:]...), nil
}

// removeItems deletes the items at the given indices of seq (the value of
// key), one edit per run of neighbours so that separators are removed once.
func (s *source) removeItems(key, seq *yaml.Node, idx []int) ([]edit, error) {
	var edits []edit
	for _, r := range runs(idx) {
		e, err := s.removeRun(key, seq, r[0], r[1])
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

func (s *source) removeRun(key, seq *yaml.Node, i, j int) (edit, error) {
	items := seq.Content
	switch {
	case j+1 < len(items):
		start, err := s.itemStart(seq, items[i])
		if err != nil {
			return edit{}, err
		}
		end, err := s.itemStart(seq, items[j+1])
		return edit{start, end, ""}, err
	case i > 0:
		start, err := s.end(items[i-1])
		if err != nil {
			return edit{}, err
		}
		end, err := s.end(items[j])
		return edit{start, end, ""}, err
	case seq.Style&yaml.FlowStyle != 0:
		start, err := s.offset(items[i])
		if err != nil {
			return edit{}, err
		}
		end, err := s.end(items[j])
		return edit{start, end, ""}, err
	}
	// A block sequence cannot be empty: the whole value becomes [].
	start, err := s.colonAfter(key)
	if err != nil {
		return edit{}, err
	}
	end, err := s.end(seq)
	return edit{start, end, " []"}, err
}

// removeEntries deletes the entries of mapping m whose keys are at the given
// key indices (0, 1, ... counting keys, not nodes).
func (s *source) removeEntries(m *yaml.Node, idx []int) ([]edit, error) {
	var edits []edit
	for _, r := range runs(idx) {
		e, err := s.removeEntryRun(m, r[0], r[1])
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

func (s *source) removeEntryRun(m *yaml.Node, i, j int) (edit, error) {
	key := func(k int) *yaml.Node { return m.Content[2*k] }
	val := func(k int) *yaml.Node { return m.Content[2*k+1] }
	n := len(m.Content) / 2
	if m.Style&yaml.FlowStyle != 0 {
		switch {
		case j+1 < n:
			start, err := s.offset(key(i))
			if err != nil {
				return edit{}, err
			}
			end, err := s.offset(key(j + 1))
			return edit{start, end, ""}, err
		case i > 0:
			start, err := s.end(val(i - 1))
			if err != nil {
				return edit{}, err
			}
			end, err := s.end(val(j))
			return edit{start, end, ""}, err
		}
		start, err := s.offset(key(i))
		if err != nil {
			return edit{}, err
		}
		end, err := s.end(val(j))
		return edit{start, end, ""}, err
	}
	// Block entries are whole lines.
	koff, err := s.offset(key(i))
	if err != nil {
		return edit{}, err
	}
	start := s.lineStart(koff)
	if strings.TrimLeft(string(s.b[start:koff]), " ") != "" {
		return edit{}, unsupported(key(i), "a key that does not start its line")
	}
	vend, err := s.end(val(j))
	if err != nil {
		return edit{}, err
	}
	end, ok := s.endOfLine(vend)
	if !ok {
		if end < len(s.b) {
			return edit{}, unsupported(val(j), "text after this value")
		}
		// The last line has no break: take the break before the entry.
		if start > 0 {
			start -= s.breakBefore(start)
		}
	}
	return edit{start, end, ""}, nil
}

// breakBefore is the length of the line break that ends just before off.
func (s *source) breakBefore(off int) int {
	for n := 3; n >= 1; n-- {
		if off-n >= 0 && breakLen(s.b, off-n) == n {
			return n
		}
	}
	return 0
}

// runs groups sorted indices into [first, last] runs of neighbours.
func runs(idx []int) [][2]int {
	sort.Ints(idx)
	var out [][2]int
	for _, i := range idx {
		if len(out) > 0 && out[len(out)-1][1] == i-1 {
			out[len(out)-1][1] = i
			continue
		}
		out = append(out, [2]int{i, i})
	}
	return out
}
