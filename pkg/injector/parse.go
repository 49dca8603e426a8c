package injector

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
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
	d := &document{src: ys.NewSource(b), root: root.Content[0], names: map[string]bool{}}
	d.json = d.root.Style&yaml.FlowStyle != 0
	if err := checkKind(d.root); err != nil {
		return nil, err
	}
	_, users, err := ys.Lookup(d.root, "users")
	if err != nil || ys.IsNull(users) {
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
	_, kind, err := ys.Lookup(root, "kind")
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
	_, name, err := ys.Lookup(u, "name")
	if err != nil {
		return nil, err
	}
	if name != nil && name.Kind == yaml.ScalarNode {
		eu.name = name.Value
		d.names[eu.name] = true
	}
	_, user, err := ys.Lookup(u, "user")
	if err != nil || ys.IsNull(user) {
		return nil, err
	}
	if user.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: users[%d].user is not a mapping", user.Line, i)
	}
	_, exec, err := ys.Lookup(user, "exec")
	if err != nil || ys.IsNull(exec) {
		return nil, err
	}
	if exec.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: user %q: exec is not a mapping", exec.Line, eu.name)
	}
	eu.exec = exec
	if eu.cmdKey, eu.cmd, err = ys.Lookup(exec, "command"); err != nil {
		return nil, err
	}
	if eu.cmd == nil || eu.cmd.Kind != yaml.ScalarNode || eu.cmd.Value == "" {
		return nil, fmt.Errorf("line %d: user %q: exec has no command", exec.Line, eu.name)
	}
	if eu.argsKey, eu.args, err = ys.Lookup(exec, "args"); err != nil {
		return nil, err
	}
	if eu.envKey, eu.env, err = ys.Lookup(exec, "env"); err != nil {
		return nil, err
	}
	return eu, nil
}
