// Package awsini reads the AWS shared config and credentials files (the
// user's ~/.aws/config and ~/.aws/credentials) the way the AWS CLI and SDKs
// do, for the few things the SDK does not expose: which profiles exist, and
// settings only botocore reads. A leaf package of the standard library, so
// that its fuzz targets build without the SDK.
package awsini

import (
	"bufio"
	"io"
	"strings"
)

// ProfileNames reads the section headers of an AWS shared file the way the
// SDK's ini reader does: "[profile NAME]" and "[default]" in the config
// file, "[NAME]" in the credentials file; comments start with # or ;.
// Other sections (sso-session, services) are not profiles.
func ProfileNames(text string, credentials bool) []string {
	var names []string
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		h, _, _ := strings.Cut(line, "#")
		h, _, _ = strings.Cut(h, ";")
		h = strings.TrimSpace(h)
		if len(h) < 2 || h[0] != '[' || h[len(h)-1] != ']' {
			continue
		}
		typ, name := splitHeader(strings.TrimSpace(h[1 : len(h)-1]))
		switch {
		case name == "":
		case credentials && typ == "":
			names = append(names, name)
		case credentials && typ != "profile":
			names = append(names, typ+" "+name)
		case !credentials && typ == "profile":
			names = append(names, name)
		case !credentials && typ == "" && strings.EqualFold(name, "default"):
			names = append(names, name)
		}
	}
	return names
}

// splitHeader splits "type name" at the first run of blanks; a header of
// one word has no type.
func splitHeader(s string) (typ, name string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return "", s
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// ProfileValue is key's value in profile's section of an AWS config file,
// parsed as botocore does (Python's configparser): sections "[default]" and
// "[profile NAME]", "key = value" or "key: value", keys case-insensitive,
// whole-line comments with # or ;, indented lines continue the previous
// value (sub-sections such as "s3 =" are not top-level keys).
func ProfileValue(r io.Reader, profile, key string) (string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	in := false
	value, found := "", false
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // a continuation line
		}
		if trimmed[0] == '[' {
			name, ok := strings.CutSuffix(trimmed[1:], "]")
			in = ok && sectionProfile(name) == profile
			continue
		}
		if !in {
			continue
		}
		i := strings.IndexAny(trimmed, "=:")
		if i < 0 {
			continue
		}
		if strings.ToLower(strings.TrimSpace(trimmed[:i])) == key {
			// configparser: a repeated key in one section is an error in
			// strict mode; botocore's parser is not strict, the last wins.
			value, found = strings.TrimSpace(trimmed[i+1:]), true
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if !found {
		return "", nil
	}
	return value, nil
}

// sectionProfile is the profile a config-file section names, or "" for
// sections that are not profiles (sso-session, services).
func sectionProfile(section string) string {
	section = strings.TrimSpace(section)
	if section == "default" {
		return "default"
	}
	if rest, ok := strings.CutPrefix(section, "profile"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		return strings.TrimSpace(rest)
	}
	return ""
}

// SetProfile returns text (an AWS config file) with profile's section
// replaced by one holding keys, in order, under a "# comment" line; a new
// section is appended. Other sections and comments are left byte for byte.
func SetProfile(text, profile, comment string, keys [][2]string) string {
	var b strings.Builder
	b.WriteString("[profile " + profile + "]\n")
	if comment != "" {
		b.WriteString("# " + comment + "\n")
	}
	for _, kv := range keys {
		b.WriteString(kv[0] + " = " + kv[1] + "\n")
	}
	section := b.String()
	lines := strings.SplitAfter(text, "\n")
	var out strings.Builder
	replaced, in := false, false
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			name, ok := strings.CutSuffix(trimmed[1:], "]")
			in = ok && sectionProfile(name) == profile
			if in {
				if !replaced {
					out.WriteString(section)
				}
				replaced = true
				continue
			}
		}
		if in {
			continue
		}
		out.WriteString(line)
	}
	if !replaced {
		s := out.String()
		if s != "" && !strings.HasSuffix(s, "\n") {
			out.WriteString("\n")
		}
		if s != "" {
			out.WriteString("\n")
		}
		out.WriteString(section)
	}
	return out.String()
}
