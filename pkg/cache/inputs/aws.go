package inputs

import (
	"bytes"
	"strings"
)

// maxChain bounds a source_profile chain; the CLI refuses a loop, and a
// chain this long is a mistake too.
const maxChain = 16

// awsInputs: the AWS CLI and SDKs take the profile from --profile,
// AWS_PROFILE, AWS_DEFAULT_PROFILE or "default", and its keys, role and
// source_profile from its sections in the config and credentials files.
// Only those sections count (and the ones a source_profile or sso_session
// leads to), so that editing another profile does not refresh this one.
func awsInputs(argv []string, lookup Lookup) []input {
	p := awsProfile{profile: awsProfileName(argv, lookup)}
	p.config = pathOr(lookup, "AWS_CONFIG_FILE", ".aws", "config")
	p.credentials = pathOr(lookup, "AWS_SHARED_CREDENTIALS_FILE", ".aws", "credentials")
	return []input{p}
}

// awsProfileName is the profile the plugin uses. aws-vault takes it as the
// argument of exec (the last one before "--" that is not a flag, since
// exec's flags may take values); the others from --profile or the
// environment.
func awsProfileName(argv []string, lookup Lookup) string {
	args := argv[1:]
	if programName(argv[0]) == "aws-vault" {
		if i := indexOf(args, "exec"); i >= 0 {
			rest := args[i+1:]
			if end := indexOf(rest, "--"); end >= 0 {
				rest = rest[:end]
			}
			for j := len(rest) - 1; j >= 0; j-- {
				if !strings.HasPrefix(rest[j], "-") {
					return rest[j]
				}
			}
		}
	}
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--profile="); ok {
			return v
		}
		if a == "--profile" && i+1 < len(args) {
			return args[i+1]
		}
	}
	for _, name := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
		if v, ok := lookup(name); ok && v != "" {
			return v
		}
	}
	return "default"
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// awsProfile is one profile's sections in the two shared files.
type awsProfile struct {
	profile             string
	config, credentials string
}

func (p awsProfile) String() string {
	// The profile's name is left out: it may come from a variable's value.
	return "aws profile sections in " + p.config + " and " + p.credentials
}

func (p awsProfile) digest(d *digester) {
	d.str("aws-profile")
	d.str(p.profile)
	files := []struct {
		path string
		text []byte
	}{{path: p.config}, {path: p.credentials}}
	for i := range files {
		d.str(files[i].path)
		b, state := readSmall(files[i].path)
		d.str(state)
		files[i].text = b
	}
	// The profile's sections, then those its source_profile and
	// sso_session settings lead to, in the order met.
	seen := map[sectionName]bool{}
	queue := []sectionName{{"profile", p.profile}}
	for len(queue) > 0 && len(seen) < maxChain {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		d.str(name.typ)
		d.str(name.name)
		for _, f := range files {
			sec := section(f.text, name)
			d.bytes(sec)
			if v := iniValue(sec, "source_profile"); v != "" {
				queue = append(queue, sectionName{"profile", v})
			}
			if v := iniValue(sec, "sso_session"); v != "" {
				queue = append(queue, sectionName{"sso-session", v})
			}
		}
	}
}

// sectionName is a section header's type ("profile", "sso-session") and
// name.
type sectionName struct{ typ, name string }

// section is the lines of every section of text named name, headers
// included. A profile also matches "[NAME]", the credentials file's form
// (and the config file's "[default]").
func section(text []byte, name sectionName) []byte {
	var out []byte
	in := false
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i+1], text[i+1:]
		} else {
			text = nil
		}
		if typ, n, ok := header(line); ok {
			in = string(n) == name.name && (string(typ) == name.typ || (len(typ) == 0 && name.typ == "profile"))
		}
		if in {
			out = append(out, line...)
		}
	}
	return out
}

// header splits "[type name]" (blanks around and between allowed) into its
// type and name; "[name]" has no type. It allocates nothing: a hit scans
// every header of the files.
func header(line []byte) (typ, name []byte, ok bool) {
	t := line
	for len(t) > 0 && (t[0] == ' ' || t[0] == '\t') {
		t = t[1:]
	}
	if len(t) < 2 || t[0] != '[' {
		return nil, nil, false
	}
	end := bytes.IndexByte(t, ']')
	if end < 0 {
		return nil, nil, false
	}
	inner := bytes.TrimSpace(t[1:end])
	i := bytes.IndexAny(inner, " \t")
	if i < 0 {
		return nil, inner, true
	}
	return inner[:i], bytes.TrimSpace(inner[i:]), true
}

// iniValue is key's value in a section, "" when absent; keys are
// case-insensitive, "=" or ":" separates, indented lines continue a value.
func iniValue(sec []byte, key string) string {
	value := ""
	for _, line := range strings.Split(string(sec), "\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i < 0 {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(line[:i]), key) {
			value = strings.TrimSpace(line[i+1:])
		}
	}
	return value
}
