package injector

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// document is a parsed kubeconfig with its exec users located.
type document struct {
	src   *source
	root  *yaml.Node // the top-level mapping
	json  bool       // written as JSON: inserted text must be JSON too
	users []*execUser
	names map[string]bool // every users[].name, for the --user filter
}

// execUser is one users[] entry whose user has an exec mapping.
type execUser struct {
	index   int        // position in users[]
	name    string     // users[].name
	exec    *yaml.Node // users[].user.exec mapping
	cmdKey  *yaml.Node
	cmd     *yaml.Node
	argsKey *yaml.Node // nil when absent
	args    *yaml.Node
	envKey  *yaml.Node // nil when absent
	env     *yaml.Node
	added   []envEntry // env entries Inject adds, for verification
	was     []string   // command and args text Restore puts back (--native-eks)
}

// parse reads a kubeconfig. Errors name the line when yaml.v3 gives one; the
// caller adds the file name.
func parse(b []byte) (*document, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("not a YAML kubeconfig: not UTF-8 text")
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("not a kubeconfig: the file is empty")
		}
		return nil, fmt.Errorf("not YAML: %w", err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, errors.New("not a kubeconfig: more than one YAML document")
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: not a kubeconfig: the top level is not a mapping", root.Line)
	}
	d := &document{src: newSource(b), root: root.Content[0], names: map[string]bool{}}
	d.json = d.root.Style&yaml.FlowStyle != 0
	if err := checkKind(d.root); err != nil {
		return nil, err
	}
	_, users, err := lookup(d.root, "users")
	if err != nil || isNull(users) {
		return d, err
	}
	if users.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: users is not a list", users.Line)
	}
	for i, u := range users.Content {
		eu, err := d.readUser(i, u)
		if err != nil {
			return nil, err
		}
		if eu != nil {
			d.users = append(d.users, eu)
		}
	}
	return d, nil
}

func checkKind(root *yaml.Node) error {
	_, kind, err := lookup(root, "kind")
	if err != nil {
		return err
	}
	if kind == nil {
		return errors.New("not a kubeconfig: no kind: Config")
	}
	if kind.Kind != yaml.ScalarNode || kind.Value != "Config" {
		return fmt.Errorf("line %d: not a kubeconfig: kind is %q, not Config", kind.Line, kind.Value)
	}
	return nil
}

// readUser returns the user's exec fields, or nil when it has no exec.
func (d *document) readUser(i int, u *yaml.Node) (*execUser, error) {
	if u.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: users[%d] is not a mapping", u.Line, i)
	}
	eu := &execUser{index: i}
	_, name, err := lookup(u, "name")
	if err != nil {
		return nil, err
	}
	if name != nil && name.Kind == yaml.ScalarNode {
		eu.name = name.Value
		d.names[eu.name] = true
	}
	_, user, err := lookup(u, "user")
	if err != nil || isNull(user) {
		return nil, err
	}
	if user.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: users[%d].user is not a mapping", user.Line, i)
	}
	_, exec, err := lookup(user, "exec")
	if err != nil || isNull(exec) {
		return nil, err
	}
	if exec.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: user %q: exec is not a mapping", exec.Line, eu.name)
	}
	eu.exec = exec
	if eu.cmdKey, eu.cmd, err = lookup(exec, "command"); err != nil {
		return nil, err
	}
	if eu.cmd == nil || eu.cmd.Kind != yaml.ScalarNode || eu.cmd.Value == "" {
		return nil, fmt.Errorf("line %d: user %q: exec has no command", exec.Line, eu.name)
	}
	if eu.argsKey, eu.args, err = lookup(exec, "args"); err != nil {
		return nil, err
	}
	if eu.envKey, eu.env, err = lookup(exec, "env"); err != nil {
		return nil, err
	}
	return eu, nil
}

// lookup finds key in mapping m. Merge keys and duplicate keys make the
// effective value depend on the reader, so they are refused.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node, err error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		if kn.Kind == yaml.ScalarNode && kn.Value == "<<" && kn.Tag == "!!merge" {
			return nil, nil, fmt.Errorf("line %d: merge keys (<<) are not supported here", kn.Line)
		}
		if kn.Kind != yaml.ScalarNode || kn.Value != key {
			continue
		}
		if k != nil {
			return nil, nil, fmt.Errorf("line %d: %s is defined twice (also line %d)", kn.Line, key, k.Line)
		}
		k, v = kn, m.Content[i+1]
	}
	if v != nil && v.Kind == yaml.AliasNode {
		return nil, nil, fmt.Errorf("line %d: %s is an alias; aliases are not supported here", v.Line, key)
	}
	return k, v, nil
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}
