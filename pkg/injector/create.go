package injector

import (
	"strings"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// addEntries adds args and/or env to an exec mapping that lacks them, right
// after the command entry.
func (d *document) addEntries(u *execUser, created []string, orig string, entries []envEntry) (edit, error) {
	if u.exec.Style&yaml.FlowStyle != 0 {
		return d.addFlowEntries(u, created, orig, entries)
	}
	s := d.src
	koff, err := s.Offset(u.cmdKey)
	if err != nil {
		return edit{}, err
	}
	indent := string(s.Bytes()[s.LineStart(koff):koff])
	if strings.Trim(indent, " ") != "" {
		return edit{}, ys.Unsupported(u.cmdKey, "a command key that does not start its line")
	}
	cend, err := s.End(u.cmd)
	if err != nil {
		return edit{}, err
	}
	at, ok := s.EndOfLine(cend)
	if !ok && at < len(s.Bytes()) {
		return edit{}, ys.Unsupported(u.cmd, "text after the command")
	}
	seq := indent + strings.Repeat(" ", d.seqIndent(u))
	var lines []string
	for _, c := range created {
		lines = append(lines, indent+c+":")
		if c == "args" {
			lines = append(lines, seq+"- "+orig)
			continue
		}
		for _, e := range entries {
			lines = append(lines, seq+"- name: "+d.scalar(e.name), seq+"  value: "+d.scalar(e.value))
		}
	}
	lb := s.LineBreak()
	if !ok {
		// The command is on the last line and it has no line break.
		return edit{Start: at, End: at, Text: lb + strings.Join(lines, lb)}, nil
	}
	return edit{Start: at, End: at, Text: strings.Join(lines, lb) + lb}, nil
}

func (d *document) addFlowEntries(u *execUser, created []string, orig string, entries []envEntry) (edit, error) {
	s := d.src
	texts := make([]string, len(created))
	for i, c := range created {
		if c == "args" {
			texts[i] = d.key("args") + ": [" + orig + "]"
		} else {
			texts[i] = d.key("env") + ": [" + d.flowEnv(entries, ", ") + "]"
		}
	}
	ci := 0
	for i := 0; i < len(u.exec.Content); i += 2 {
		if u.exec.Content[i] == u.cmdKey {
			ci = i
		}
	}
	sepBetween := func(v, k *yaml.Node) string {
		end, err1 := s.End(v)
		next, err2 := s.Offset(k)
		if err1 == nil && err2 == nil && end <= next && flowSep.MatchString(string(s.Bytes()[end:next])) {
			return string(s.Bytes()[end:next])
		}
		return ", "
	}
	cend, err := s.End(u.cmd)
	if err != nil {
		return edit{}, err
	}
	if ci+2 < len(u.exec.Content) {
		next := u.exec.Content[ci+2]
		at, err := s.Offset(next)
		sep := sepBetween(u.cmd, next)
		return edit{Start: at, End: at, Text: strings.Join(texts, sep) + sep}, err
	}
	sep := ", "
	if ci > 0 {
		sep = sepBetween(u.exec.Content[ci-1], u.cmdKey)
	}
	return edit{Start: cend, End: cend, Text: sep + strings.Join(texts, sep)}, nil
}

// seqIndent is how far this file indents a block sequence under its key
// (0 for kubectl's style, 2 for many hand-written files).
func (d *document) seqIndent(u *execUser) int {
	candidates := [][2]*yaml.Node{{u.argsKey, u.args}, {u.envKey, u.env}}
	if k, v, err := ys.Lookup(d.root, "users"); err == nil {
		candidates = append(candidates, [2]*yaml.Node{k, v})
	}
	for _, c := range candidates {
		k, v := c[0], c[1]
		if k == nil || v == nil || v.Kind != yaml.SequenceNode || v.Style&yaml.FlowStyle != 0 || len(v.Content) == 0 {
			continue
		}
		koff, err1 := d.src.Offset(k)
		dash, err2 := d.src.ItemStart(v, v.Content[0])
		if err1 != nil || err2 != nil {
			continue
		}
		if n := d.src.Column(dash) - d.src.Column(koff); n >= 0 {
			return n
		}
	}
	return 0
}
