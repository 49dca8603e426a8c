package ekstoken

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// stsRegionalEndpointsKey is botocore's setting for the legacy global STS
// endpoint; aws-sdk-go-v2 does not read it (it is always regional), so it
// is read here: env first, then the profile, as botocore does.
const (
	stsRegionalEndpointsEnv = "AWS_STS_REGIONAL_ENDPOINTS"
	stsRegionalEndpointsKey = "sts_regional_endpoints"
)

// legacyGlobalSTS reports whether sts_regional_endpoints is "legacy" (from
// env, else from profile's section of the config file at path).
func legacyGlobalSTS(getenv func(string) string, path, profile string) (bool, error) {
	v, where := getenv(stsRegionalEndpointsEnv), stsRegionalEndpointsEnv
	if v == "" {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("could not read the AWS config file: %w", err)
		}
		defer f.Close()
		if v, err = profileValue(f, profile, stsRegionalEndpointsKey); err != nil {
			return false, fmt.Errorf("could not read the AWS config file %s: %w", path, err)
		}
		where = stsRegionalEndpointsKey + " of profile " + profile + " in " + path
	}
	switch v {
	case "", "regional":
		return false, nil
	case "legacy":
		return true, nil
	}
	return false, fmt.Errorf("%s is %q, want legacy or regional", where, v)
}

// profileValue is key's value in profile's section of an AWS config file,
// parsed as botocore does (Python's configparser): sections "[default]" and
// "[profile NAME]", "key = value" or "key: value", keys case-insensitive,
// whole-line comments with # or ;, indented lines continue the previous
// value (sub-sections such as "s3 =" are not top-level keys).
func profileValue(r io.Reader, profile, key string) (string, error) {
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
