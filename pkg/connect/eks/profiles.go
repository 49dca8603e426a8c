package eks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// SharedProfiles lists every profile of the shared config and credentials
// files the SDK reads (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else
// ~/.aws/config and ~/.aws/credentials), sorted. A missing file has none.
func SharedProfiles() ([]string, error) {
	env, err := config.NewEnvConfig()
	if err != nil {
		return nil, err
	}
	cfgFile, credFile := env.SharedConfigFile, env.SharedCredentialsFile
	if cfgFile == "" {
		cfgFile = config.DefaultSharedConfigFilename()
	}
	if credFile == "" {
		credFile = config.DefaultSharedCredentialsFilename()
	}
	seen := map[string]bool{}
	for _, f := range []struct {
		path        string
		credentials bool
	}{{cfgFile, false}, {credFile, true}} {
		b, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("could not read %s: %w", f.path, err)
		}
		for _, p := range profileNames(string(b), f.credentials) {
			seen[p] = true
		}
	}
	names := make([]string, 0, len(seen))
	for p := range seen {
		names = append(names, p)
	}
	sort.Strings(names)
	return names, nil
}

// profileNames reads the section headers of an AWS shared file the way the
// SDK's ini reader does: "[profile NAME]" and "[default]" in the config
// file, "[NAME]" in the credentials file; comments start with # or ;.
// Other sections (sso-session, services) are not profiles.
func profileNames(text string, credentials bool) []string {
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
