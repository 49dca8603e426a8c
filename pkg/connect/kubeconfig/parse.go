package kubeconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	ys "github.com/IvMisticos/kube-credential-cache/internal/yamlsplice"
)

// The named lists of a kubeconfig.
const (
	listClusters = "clusters"
	listUsers    = "users"
	listContexts = "contexts"
)

// File is a parsed kubeconfig, ready to be merged into.
type File struct {
	src  *ys.Source
	root *yaml.Node // the top-level mapping; nil for an empty file
	flow bool       // the root is a flow mapping (JSON): inserted text must be JSON
	// lists by name; a list that is missing or null has key or seq nil.
	lists map[string]*list
	// current-context key and value, nil when absent.
	curKey, curVal *yaml.Node
}

// list is one of clusters, users, contexts.
type list struct {
	name  string
	key   *yaml.Node
	seq   *yaml.Node            // nil when missing or null
	items map[string]*yaml.Node // entry mapping by name, first of each name
	dup   map[string]bool       // names defined more than once
}

// Parse reads a kubeconfig. An empty file, or one of only comments, is an
// empty kubeconfig. Errors name the line when yaml.v3 gives one.
func Parse(b []byte) (*File, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("not a YAML kubeconfig: not UTF-8 text")
	}
	f := &File{src: ys.NewSource(b), lists: map[string]*list{}}
	for _, n := range []string{listClusters, listUsers, listContexts} {
		f.lists[n] = &list{name: n, items: map[string]*yaml.Node{}, dup: map[string]bool{}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		return nil, fmt.Errorf("not YAML: %w", err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, errors.New("not a kubeconfig: more than one YAML document")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("not a kubeconfig: no document")
	}
	root := doc.Content[0]
	if ys.IsNull(root) {
		return f, nil // "---" or "~" alone: nothing in it yet
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: not a kubeconfig: the top level is not a mapping", root.Line)
	}
	f.root, f.flow = root, root.Style&yaml.FlowStyle != 0
	if err := checkKind(root); err != nil {
		return nil, err
	}
	for _, l := range f.lists {
		if err := f.readList(l); err != nil {
			return nil, err
		}
	}
	k, v, err := ys.Lookup(root, "current-context")
	if err != nil {
		return nil, err
	}
	if v != nil && v.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("line %d: current-context is not a string", v.Line)
	}
	f.curKey, f.curVal = k, v
	return f, nil
}

// checkKind accepts kind: Config, or no kind at all (kubectl reads such a
// file and a hand-written one may lack it).
func checkKind(root *yaml.Node) error {
	_, kind, err := ys.Lookup(root, "kind")
	if err != nil || kind == nil {
		return err
	}
	if kind.Kind != yaml.ScalarNode || kind.Value != "Config" {
		return fmt.Errorf("line %d: not a kubeconfig: kind is %q, not Config", kind.Line, kind.Value)
	}
	return nil
}

func (f *File) readList(l *list) error {
	k, v, err := ys.Lookup(f.root, l.name)
	if err != nil {
		return err
	}
	l.key = k
	if ys.IsNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: %s is not a list", v.Line, l.name)
	}
	l.seq = v
	for i, it := range v.Content {
		if it.Kind != yaml.MappingNode {
			return fmt.Errorf("line %d: %s[%d] is not a mapping", it.Line, l.name, i)
		}
		_, name, err := ys.Lookup(it, "name")
		if err != nil {
			return err
		}
		if name == nil || name.Kind != yaml.ScalarNode {
			continue // kubectl refuses it too; not ours to fix
		}
		if _, ok := l.items[name.Value]; ok {
			l.dup[name.Value] = true
			continue
		}
		l.items[name.Value] = it
	}
	return nil
}

// Contexts lists the file's contexts (those with a name), in file order.
func (f *File) Contexts() []Context {
	l := f.lists[listContexts]
	if l.seq == nil {
		return nil
	}
	var out []Context
	for _, it := range l.seq.Content {
		_, name, _ := ys.Lookup(it, "name")
		if name == nil || name.Kind != yaml.ScalarNode {
			continue
		}
		c := Context{Name: name.Value}
		if _, ctx, _ := ys.Lookup(it, "context"); ctx != nil && ctx.Kind == yaml.MappingNode {
			c.Cluster = scalarAt(ctx, "cluster")
			c.User = scalarAt(ctx, "user")
		}
		out = append(out, c)
	}
	return out
}

// HasCluster, HasUser and HasContext report whether the file defines an
// entry of that name: the file kubectl changes it in.
func (f *File) HasCluster(name string) bool { return f.lists[listClusters].items[name] != nil }
func (f *File) HasUser(name string) bool    { return f.lists[listUsers].items[name] != nil }
func (f *File) HasContext(name string) bool { return f.lists[listContexts].items[name] != nil }

// CurrentContext is the file's current-context, "" when unset.
func (f *File) CurrentContext() string {
	if f.curVal == nil || ys.IsNull(f.curVal) {
		return ""
	}
	return f.curVal.Value
}

func scalarAt(m *yaml.Node, key string) string {
	_, v, err := ys.Lookup(m, key)
	if err != nil || v == nil || v.Kind != yaml.ScalarNode || ys.IsNull(v) {
		return ""
	}
	return v.Value
}
