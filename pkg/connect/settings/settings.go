// Package settings keeps kcc-connect's defaults for its flags in a YAML file
// (flag name: value, or a list for repeatable flags) and applies them, with
// the KCC_CONNECT_* environment, to a command's flags: flags > environment >
// file > built-in, decided in one place (Apply).
package settings

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Settings maps a flag name to its default: one value, or several for a
// repeatable flag. The zero value is not usable; use New or Parse.
type Settings struct {
	values map[string][]string
}

// New is an empty set of defaults.
func New() *Settings { return &Settings{values: map[string][]string{}} }

// maxFileSize bounds Parse: a file of flag defaults is a few hundred bytes.
const maxFileSize = 1 << 20

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Parse reads a defaults file: a mapping from flag names to scalars or lists
// of scalars. Values are kept as written (the flag parses them when they
// are applied), so `region: eu-west-1` and `history-limit: 50` are alike.
func Parse(data []byte) (*Settings, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", maxFileSize)
	}
	s := New()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, oneLine(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return s, nil // empty, or only comments
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of flag names to values", top.Line)
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		if k.Kind != yaml.ScalarNode || !keyPattern.MatchString(k.Value) {
			return nil, fmt.Errorf("line %d: %q is not a flag name", k.Line, k.Value)
		}
		if _, dup := s.values[k.Value]; dup {
			return nil, fmt.Errorf("line %d: %s appears twice", k.Line, k.Value)
		}
		vals, err := values(k.Value, v)
		if err != nil {
			return nil, err
		}
		s.values[k.Value] = vals
	}
	return s, nil
}

func values(key string, v *yaml.Node) ([]string, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		if isNull(v) {
			return nil, fmt.Errorf("line %d: %s has no value (remove the line to use the built-in default)", v.Line, key)
		}
		return []string{v.Value}, nil
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			return nil, fmt.Errorf("line %d: %s is an empty list (remove the line to use the built-in default)", v.Line, key)
		}
		out := make([]string, 0, len(v.Content))
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode || isNull(item) {
				return nil, fmt.Errorf("line %d: %s: a list item must be a plain value", item.Line, key)
			}
			out = append(out, item.Value)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("line %d: %s must be a value or a list of values", v.Line, key)
	}
}

func isNull(n *yaml.Node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 && n.ShortTag() == "!!null"
}

// oneLine keeps the first line of yaml.v3's errors, which can span several.
func oneLine(err error) error {
	msg := err.Error()
	if i := bytes.IndexByte([]byte(msg), '\n'); i >= 0 {
		msg = msg[:i]
	}
	return errors.New(msg)
}

// Marshal writes the defaults sorted by name, readable and diffable.
func (s *Settings) Marshal() []byte {
	top := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range s.Keys() {
		top.Content = append(top.Content, scalar(k))
		vals := s.values[k]
		if len(vals) == 1 {
			top.Content = append(top.Content, scalar(vals[0]))
			continue
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, v := range vals {
			seq.Content = append(seq.Content, scalar(v))
		}
		top.Content = append(top.Content, seq)
	}
	var buf bytes.Buffer
	buf.WriteString("# kcc-connect defaults (kcc-connect config set KEY VALUE).\n" +
		"# Flags and KCC_CONNECT_* environment variables take precedence.\n")
	if len(top.Content) == 0 {
		return buf.Bytes()
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	// Encoding a tree of plain scalars cannot fail.
	_ = enc.Encode(top)
	_ = enc.Close()
	return buf.Bytes()
}

// scalar is a string node. A value that YAML would read as null ("", "~",
// "null") is quoted so it reads back as the same string, and so is one with
// line breaks or edge spaces: yaml.v3's block scalars lose a leading empty
// line (found by FuzzParse), double quotes escape everything.
func scalar(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: v}
	if n.ShortTag() == "!!null" || strings.ContainsAny(v, "\n\r\t") || strings.TrimSpace(v) != v {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// Get is the default for key, if one is set.
func (s *Settings) Get(key string) ([]string, bool) {
	v, ok := s.values[key]
	return v, ok
}

// Set makes values the default for key.
func (s *Settings) Set(key string, values ...string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("%q is not a flag name", key)
	}
	if len(values) == 0 {
		return fmt.Errorf("%s: no value", key)
	}
	s.values[key] = append([]string(nil), values...)
	return nil
}

// Unset removes key's default and says whether there was one.
func (s *Settings) Unset(key string) bool {
	_, ok := s.values[key]
	delete(s.values, key)
	return ok
}

// Keys lists the keys that have a default, sorted.
func (s *Settings) Keys() []string {
	keys := make([]string, 0, len(s.values))
	for k := range s.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Merge sets every default of o in s, replacing s's for the same key.
func (s *Settings) Merge(o *Settings) {
	for k, v := range o.values {
		s.values[k] = append([]string(nil), v...)
	}
}
