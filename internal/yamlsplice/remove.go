package yamlsplice

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// RemoveItems deletes the items at the given indices of seq (the value of
// key), one edit per run of neighbours so that separators are removed once.
func (s *Source) RemoveItems(key, seq *yaml.Node, idx []int) ([]Edit, error) {
	var edits []Edit
	for _, r := range runs(idx) {
		e, err := s.removeRun(key, seq, r[0], r[1])
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

func (s *Source) removeRun(key, seq *yaml.Node, i, j int) (Edit, error) {
	items := seq.Content
	switch {
	case j+1 < len(items):
		start, err := s.ItemStart(seq, items[i])
		if err != nil {
			return Edit{}, err
		}
		end, err := s.ItemStart(seq, items[j+1])
		return Edit{start, end, ""}, err
	case i > 0:
		start, err := s.End(items[i-1])
		if err != nil {
			return Edit{}, err
		}
		end, err := s.End(items[j])
		return Edit{start, end, ""}, err
	case seq.Style&yaml.FlowStyle != 0:
		start, err := s.Offset(items[i])
		if err != nil {
			return Edit{}, err
		}
		end, err := s.End(items[j])
		return Edit{start, end, ""}, err
	}
	// A block sequence cannot be empty: the whole value becomes [].
	start, err := s.ColonAfter(key)
	if err != nil {
		return Edit{}, err
	}
	end, err := s.End(seq)
	return Edit{start, end, " []"}, err
}

// RemoveEntries deletes the entries of mapping m whose keys are at the given
// key indices (0, 1, ... counting keys, not nodes).
func (s *Source) RemoveEntries(m *yaml.Node, idx []int) ([]Edit, error) {
	var edits []Edit
	for _, r := range runs(idx) {
		e, err := s.removeEntryRun(m, r[0], r[1])
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	return edits, nil
}

func (s *Source) removeEntryRun(m *yaml.Node, i, j int) (Edit, error) {
	key := func(k int) *yaml.Node { return m.Content[2*k] }
	val := func(k int) *yaml.Node { return m.Content[2*k+1] }
	n := len(m.Content) / 2
	if m.Style&yaml.FlowStyle != 0 {
		switch {
		case j+1 < n:
			start, err := s.Offset(key(i))
			if err != nil {
				return Edit{}, err
			}
			end, err := s.Offset(key(j + 1))
			return Edit{start, end, ""}, err
		case i > 0:
			start, err := s.End(val(i - 1))
			if err != nil {
				return Edit{}, err
			}
			end, err := s.End(val(j))
			return Edit{start, end, ""}, err
		}
		start, err := s.Offset(key(i))
		if err != nil {
			return Edit{}, err
		}
		end, err := s.End(val(j))
		return Edit{start, end, ""}, err
	}
	// Block entries are whole lines.
	koff, err := s.Offset(key(i))
	if err != nil {
		return Edit{}, err
	}
	start := s.LineStart(koff)
	if strings.TrimLeft(string(s.b[start:koff]), " ") != "" {
		return Edit{}, Unsupported(key(i), "a key that does not start its line")
	}
	vend, err := s.End(val(j))
	if err != nil {
		return Edit{}, err
	}
	end, ok := s.EndOfLine(vend)
	if !ok {
		if end < len(s.b) {
			return Edit{}, Unsupported(val(j), "text after this value")
		}
		// The last line has no break: take the break before the entry.
		if start > 0 {
			start -= s.BreakBefore(start)
		}
	}
	return Edit{start, end, ""}, nil
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
