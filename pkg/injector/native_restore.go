package injector

import (
	"fmt"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// restoreWas undoes a native switch for one user: the command and args items
// become the text the marker recorded, laid out as the args are now.
func (d *document) restoreWas(u *execUser, was []string) ([]edit, error) {
	s := d.src
	for i, w := range was {
		if _, err := wordValue(w); err != nil {
			return nil, fmt.Errorf("line %d: word %d of %s's was: %w", u.cmd.Line, i+1, MarkerEnv, err)
		}
	}
	if u.args == nil || u.args.Kind != yaml.SequenceNode || len(u.args.Content) == 0 {
		return nil, fmt.Errorf("line %d: %s records the plugin a native one replaced, but args is empty", u.cmd.Line, MarkerEnv)
	}
	l, err := d.itemsLayout(u.args)
	if err != nil {
		return nil, err
	}
	cstart, cend, err := s.Span(u.cmd)
	if err != nil {
		return nil, err
	}
	return []edit{{Start: cstart, End: cend, Text: was[0]}, {Start: l.start, End: l.end, Text: l.render(was[1:])}}, nil
}

// wordValue reads one recorded source text: it must be a single scalar on
// one line, as every text InjectNative records is, so that putting it
// back cannot add structure to the file.
func wordValue(w string) (any, error) {
	for i := 0; i < len(w); i++ {
		if ys.BreakLen([]byte(w), i) > 0 {
			return nil, fmt.Errorf("a line break")
		}
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(w), &n); err != nil || len(n.Content) != 1 {
		return nil, fmt.Errorf("not one YAML scalar")
	}
	if v := n.Content[0]; v.Kind != yaml.ScalarNode || v.Anchor != "" || ys.IsNull(v) {
		return nil, fmt.Errorf("not one YAML scalar")
	}
	var v any
	if err := n.Content[0].Decode(&v); err != nil {
		return nil, fmt.Errorf("not one YAML scalar")
	}
	return v, nil
}

// wasValues decodes the recorded command and args, nil if one does not.
func wasValues(was []string) []any {
	out := make([]any, len(was))
	for i, w := range was {
		v, err := wordValue(w)
		if err != nil {
			return nil
		}
		out[i] = v
	}
	return out
}
