package inputs

import (
	"path/filepath"
	"runtime"
	"strings"
)

// Lookup reads an environment variable, as os.LookupEnv does.
type Lookup func(string) (string, bool)

// family is a group of plugins that read the same identity files.
type family int

const (
	none family = iota
	aws
	gcloud
	azure
)

// families maps a plugin's program name (argv[0] without its directory or
// a Windows ".exe") to the files it reads.
var families = map[string]family{
	"aws":                    aws,
	"aws-vault":              aws,
	"aws-iam-authenticator":  aws,
	"eks-auth":               aws,
	"kcc-eks":                aws,
	"gcloud":                 gcloud,
	"gke-gcloud-auth-plugin": gcloud,
	"kubelogin":              azure,
	"az":                     azure,
}

// ForPlugin is the set of inputs of the plugin argv runs: those of its
// family, then the files the user listed (KUBE_CREDENTIAL_CACHE_CACHEKEY_FILES,
// "~/" expanded), for any plugin.
func ForPlugin(argv []string, lookup Lookup, files []string) Set {
	var s Set
	if len(argv) > 0 {
		switch families[programName(argv[0])] {
		case aws:
			s.inputs = append(s.inputs, awsInputs(argv, lookup)...)
		case gcloud:
			s.inputs = append(s.inputs, gcloudInputs(lookup)...)
		case azure:
			s.inputs = append(s.inputs, azureInputs(lookup)...)
		}
	}
	for _, f := range files {
		if f = strings.TrimSpace(f); f != "" {
			s.inputs = append(s.inputs, file{expandHome(f, lookup)})
		}
	}
	return s
}

func programName(arg0 string) string {
	// filepath.Base alone would keep "C:\...\aws" whole on Unix, and a
	// kubeconfig may well be shared between systems.
	name := arg0[strings.LastIndexAny(arg0, `/\`)+1:]
	return strings.TrimSuffix(strings.ToLower(name), ".exe")
}

// home is the user's home directory as the plugins find it ($HOME; on
// Windows %USERPROFILE%, as Python's and Go's own lookups), "" when unknown.
func home(lookup Lookup) string {
	name := "HOME"
	if runtime.GOOS == "windows" {
		name = "USERPROFILE"
	}
	h, _ := lookup(name)
	return h
}

func expandHome(path string, lookup Lookup) string {
	if path == "~" || strings.HasPrefix(path, "~/") {
		if h := home(lookup); h != "" {
			return filepath.Join(h, path[1:])
		}
	}
	return path
}

// pathOr is the path a variable names, or def under the home directory
// when it is unset or empty; "" when neither is known.
func pathOr(lookup Lookup, name string, def ...string) string {
	if v, ok := lookup(name); ok && v != "" {
		return expandHome(v, lookup)
	}
	h := home(lookup)
	if h == "" {
		return ""
	}
	return filepath.Join(append([]string{h}, def...)...)
}

func envOf(lookup Lookup, name string) env {
	v, ok := lookup(name)
	return env{name: name, value: v, set: ok}
}
