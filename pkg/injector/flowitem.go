package injector

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// flowEntryLike renders an env entry as a flow mapping laid out like model,
// the first existing entry: JSON files usually put each key of an env entry
// on its own line, and a one-line entry among them would stand out.
func (d *document) flowEntryLike(model *yaml.Node, e envEntry) string {
	oneLine := d.flowEnv([]envEntry{e}, "")
	s := d.src
	if model.Kind != yaml.MappingNode || model.Style&yaml.FlowStyle == 0 || len(model.Content) < 2 {
		return oneLine
	}
	open, err1 := s.ValueStart(model)
	key, err2 := s.Offset(model.Content[0])
	end, err3 := s.End(model)
	if err1 != nil || err2 != nil || err3 != nil || model.Content[0].Line == model.Line {
		return oneLine
	}
	keyIndent := string(s.Bytes()[s.LineStart(key):key])
	closeIndent := string(s.Bytes()[s.LineStart(end-1) : end-1])
	if strings.Trim(keyIndent+closeIndent, " \t") != "" || strings.Trim(string(s.Bytes()[open+1:key]), " \t\r\n") != "" {
		return oneLine
	}
	lb := s.LineBreak()
	return "{" + lb +
		keyIndent + d.key("name") + ": " + d.scalar(e.name) + "," + lb +
		keyIndent + d.key("value") + ": " + d.scalar(e.value) + lb +
		closeIndent + "}"
}
