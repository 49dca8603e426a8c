package history

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"

	"gopkg.in/yaml.v3"
)

// File is the whole history: entries newest first, and which entry was made
// current last and the one before it (for `kcc-connect to -`).
type File struct {
	Current  string  `yaml:"current,omitempty"`
	Previous string  `yaml:"previous,omitempty"`
	Entries  []Entry `yaml:"entries"`
}

// maxFileSize bounds what Parse accepts: a full history of short names is
// tens of kilobytes; a file far larger is not one kcc-connect wrote.
const maxFileSize = 4 << 20

var (
	idPattern    = regexp.MustCompile(`^[0-9a-f]{8,64}$`)
	aliasPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@:/+=-]{0,252}$`)
)

// Parse reads a history file. It is strict (any entry it cannot vouch for
// makes the file invalid) because an invalid file is replaced, not merged:
// see Store. Unknown keys are ignored and so dropped on the next write.
func Parse(data []byte) (*File, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", maxFileSize)
	}
	f := &File{Entries: []Entry{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return f, nil
	}
	if err := yaml.Unmarshal(data, f); err != nil {
		return nil, err
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	if f.Entries == nil {
		f.Entries = []Entry{}
	}
	for i := range f.Entries {
		f.Entries[i].LastUsed = f.Entries[i].LastUsed.UTC()
	}
	return f, nil
}

func (f *File) validate() error {
	ids := map[string]bool{}
	aliases := map[string]bool{}
	for i, e := range f.Entries {
		switch {
		case !idPattern.MatchString(e.ID):
			return fmt.Errorf("entry %d: id %q is not 8 to 64 lower-case hex digits", i+1, e.ID)
		case ids[e.ID]:
			return fmt.Errorf("entry %d: id %s appears twice", i+1, e.ID)
		case e.ClusterID == "":
			return fmt.Errorf("entry %d (%s): no clusterId", i+1, e.ID)
		case e.Alias != "" && !aliasPattern.MatchString(e.Alias):
			return fmt.Errorf("entry %d (%s): %v", i+1, e.ID, ValidateAlias(e.Alias))
		case e.Alias != "" && aliases[e.Alias]:
			return fmt.Errorf("entry %d (%s): alias %s appears twice", i+1, e.ID, e.Alias)
		}
		ids[e.ID] = true
		if e.Alias != "" {
			aliases[e.Alias] = true
		}
	}
	for _, ref := range []string{f.Current, f.Previous} {
		if ref != "" && !ids[ref] {
			return fmt.Errorf("current or previous entry %q is not in the history", ref)
		}
	}
	return nil
}

// Marshal encodes the file as Parse reads it.
func (f *File) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# kcc-connect history: the entries `kcc-connect use` wrote, newest first.\n" +
		"# Names and paths only; no credential is ever kept here.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	out := *f
	if out.Entries == nil {
		out.Entries = []Entry{}
	}
	if err := enc.Encode(&out); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ValidateAlias says whether name can be an alias: a name that context
// names commonly use (letters, digits and . _ @ : / + = -) starting with a
// letter or digit, so it can never be "-" (the previous entry), look like a
// flag, or need quoting in a shell.
func ValidateAlias(name string) error {
	if !aliasPattern.MatchString(name) {
		return fmt.Errorf("alias %q must be 1 to 253 letters, digits or . _ @ : / + = -, starting with a letter or digit", name)
	}
	return nil
}

// ErrNotFound is returned (wrapped) when no entry answers to a reference.
var ErrNotFound = errors.New("no such history entry")
