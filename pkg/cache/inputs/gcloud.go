package inputs

import (
	"bytes"
	"path/filepath"
	"runtime"
)

// gcloudInputs: gcloud (and gke-gcloud-auth-plugin, which runs
// `gcloud config config-helper`) takes its account from the active
// configuration, $CLOUDSDK_CONFIG/configurations/config_NAME, where NAME is
// CLOUDSDK_ACTIVE_CONFIG_NAME or the content of $CLOUDSDK_CONFIG/active_config;
// `gcloud auth activate-service-account` and `gcloud config set account`
// both rewrite that file. With --use_application_default_credentials the
// plugin reads the ADC file instead. credentials.db and access_tokens.db
// are not inputs: they change on every refresh, not on a switch.
func gcloudInputs(lookup Lookup) []input {
	ins := []input{envOf(lookup, "CLOUDSDK_ACTIVE_CONFIG_NAME"), envOf(lookup, "CLOUDSDK_CORE_ACCOUNT")}
	if adc, ok := lookup("GOOGLE_APPLICATION_CREDENTIALS"); ok && adc != "" {
		ins = append(ins, file{expandHome(adc, lookup)})
	}
	dir := pathOr(lookup, "CLOUDSDK_CONFIG", ".config", "gcloud")
	if appData, ok := lookup("APPDATA"); ok && appData != "" && runtime.GOOS == "windows" {
		if v, _ := lookup("CLOUDSDK_CONFIG"); v == "" {
			dir = filepath.Join(appData, "gcloud") // gcloud's default there
		}
	}
	// gcloud writes the ADC file into its configuration directory, but the
	// Go client libraries (gke-gcloud-auth-plugin among them) read it from
	// the default one whatever CLOUDSDK_CONFIG says.
	const adc = "application_default_credentials.json"
	if def := pathOr(lookup, "", ".config", "gcloud"); def != "" && def != dir {
		ins = append(ins, file{filepath.Join(def, adc)})
	}
	if dir == "" {
		return ins
	}
	ins = append(ins, file{filepath.Join(dir, adc)})
	return append(ins, gcloudConfig{dir: dir, lookup: lookup})
}

// gcloudConfig is the active configuration: which one it is, and its file.
type gcloudConfig struct {
	dir    string
	lookup Lookup
}

func (g gcloudConfig) String() string { return "gcloud configuration in " + g.dir }

func (g gcloudConfig) digest(d *digester) {
	d.str("gcloud-config")
	name, ok := g.lookup("CLOUDSDK_ACTIVE_CONFIG_NAME")
	if !ok || name == "" {
		name = "default"
		if b := bytes.TrimSpace(d.file(filepath.Join(g.dir, "active_config"))); len(b) > 0 {
			name = string(b)
		}
	}
	d.file(filepath.Join(g.dir, "configurations", "config_"+name))
}
