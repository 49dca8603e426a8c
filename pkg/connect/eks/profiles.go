package eks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/IvMisticos/kube-credential-cache/internal/awsini"
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
		for _, p := range awsini.ProfileNames(string(b), f.credentials) {
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
