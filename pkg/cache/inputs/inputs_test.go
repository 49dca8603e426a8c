package inputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// world is a home directory with the plugins' files, and an environment.
type world struct {
	t    testing.TB
	home string
	env  map[string]string
}

func newWorld(t testing.TB, files map[string]string, env map[string]string) *world {
	w := &world{t: t, home: t.TempDir(), env: map[string]string{}}
	w.env["HOME"] = w.home
	for k, v := range env {
		w.env[k] = strings.ReplaceAll(v, "$HOME", w.home)
	}
	for name, text := range files {
		w.write(name, text)
	}
	return w
}

func (w *world) path(name string) string { return filepath.Join(w.home, name) }

func (w *world) write(name, text string) {
	w.t.Helper()
	p := w.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) remove(name string) {
	w.t.Helper()
	if err := os.Remove(w.path(name)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) lookup(name string) (string, bool) {
	v, ok := w.env[name]
	return v, ok
}

const (
	gcloudDefault = ".config/gcloud/configurations/config_default"
	awsConfig     = `[default]
region = eu-west-1

[profile dev]
role_arn = arn:aws:iam::111111111111:role/dev
source_profile = base

[profile other]
region = us-east-1

[profile sso]
sso_session = corp
sso_account_id = 111111111111

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
`
	awsCredentials = `[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = s1

[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret-key

[other]
aws_access_key_id = AKIDOTHER
aws_secret_access_key = s3
`
)

var baseFiles = map[string]string{
	".config/gcloud/active_config":                "default",
	gcloudDefault:                                 "[core]\naccount = a@example.com\n",
	".config/gcloud/configurations/config_work":   "[core]\naccount = w@example.com\n",
	".config/gcloud/credentials.db":               "db",
	".config/gcloud/access_tokens.db":             "db",
	".config/gcloud/gke_gcloud_auth_plugin_cache": "{}",
	".aws/config":                                 awsConfig,
	".aws/credentials":                            awsCredentials,
	".azure/azureProfile.json":                    `{"subscriptions":[{"id":"1","isDefault":true}]}`,
	".azure/clouds.config":                        "[AzureCloud]\nsubscription = 1\n",
	".azure/msal_token_cache.json":                "{}",
	"oidc/token":                                  "t1",
	"elsewhere/adc.json":                          `{"type":"service_account"}`,
}

// TestEachInputChangesTheFingerprint: every input a plugin reads flips the
// fingerprint when it changes; the files it does not read leave it alone.
func TestEachInputChangesTheFingerprint(t *testing.T) {
	gke := []string{"/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin"}
	awsCLI := []string{"aws", "eks", "get-token", "--cluster-name", "c"}
	tests := []struct {
		name   string
		argv   []string
		env    map[string]string
		files  []string // KUBE_CREDENTIAL_CACHE_CACHEKEY_FILES
		change func(w *world)
		want   bool // whether the fingerprint changes
	}{
		{"gcloud: account of the active configuration", gke, nil, nil,
			func(w *world) { w.write(gcloudDefault, "[core]\naccount = b@example.com\n") }, true},
		{"gcloud: another configuration activated", gke, nil, nil,
			func(w *world) { w.write(".config/gcloud/active_config", "work") }, true},
		{"gcloud: the active configuration removed", gke, nil, nil,
			func(w *world) { w.remove(gcloudDefault) }, true},
		{"gcloud: active_config removed (default stays)", gke, nil, nil,
			func(w *world) { w.remove(".config/gcloud/active_config") }, true},
		{"gcloud: an inactive configuration", gke, nil, nil,
			func(w *world) {
				w.write(".config/gcloud/configurations/config_work", "[core]\naccount = x@example.com\n")
			}, false},
		{"gcloud: CLOUDSDK_ACTIVE_CONFIG_NAME's configuration", gke, map[string]string{"CLOUDSDK_ACTIVE_CONFIG_NAME": "work"}, nil,
			func(w *world) {
				w.write(".config/gcloud/configurations/config_work", "[core]\naccount = x@example.com\n")
			}, true},
		{"gcloud: CLOUDSDK_ACTIVE_CONFIG_NAME set", gke, nil, nil,
			func(w *world) { w.env["CLOUDSDK_ACTIVE_CONFIG_NAME"] = "work" }, true},
		{"gcloud: CLOUDSDK_CORE_ACCOUNT set", gke, nil, nil,
			func(w *world) { w.env["CLOUDSDK_CORE_ACCOUNT"] = "c@example.com" }, true},
		{"gcloud: the ADC file created", gke, nil, nil,
			func(w *world) { w.write(".config/gcloud/application_default_credentials.json", "{}") }, true},
		{"gcloud: GOOGLE_APPLICATION_CREDENTIALS's file", gke, map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": "$HOME/elsewhere/adc.json"}, nil,
			func(w *world) { w.write("elsewhere/adc.json", `{"type":"authorized_user"}`) }, true},
		{"gcloud: the default ADC file, with CLOUDSDK_CONFIG elsewhere", gke, map[string]string{"CLOUDSDK_CONFIG": "$HOME/elsewhere"}, nil,
			func(w *world) { w.write(".config/gcloud/application_default_credentials.json", "{}") }, true},
		{"gcloud: the configuration in the default directory, with CLOUDSDK_CONFIG elsewhere", gke, map[string]string{"CLOUDSDK_CONFIG": "$HOME/elsewhere"}, nil,
			func(w *world) { w.write(gcloudDefault, "[core]\naccount = b@example.com\n") }, false},
		{"gcloud: CLOUDSDK_CONFIG elsewhere", gke, nil, nil,
			func(w *world) { w.env["CLOUDSDK_CONFIG"] = w.path("elsewhere") }, true},
		{"gcloud: credentials.db and access_tokens.db", gke, nil, nil,
			func(w *world) {
				w.write(".config/gcloud/credentials.db", "db2")
				w.write(".config/gcloud/access_tokens.db", "db2")
				w.write(".config/gcloud/gke_gcloud_auth_plugin_cache", `{"x":1}`)
			}, false},
		{"gcloud: the AWS files", []string{"gcloud", "config", "config-helper"}, nil, nil,
			func(w *world) { w.write(".aws/credentials", "") }, false},

		{"aws: the default profile's keys", awsCLI, nil, nil,
			func(w *world) {
				w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDDEFAULT", "AKIDNEW", 1))
			}, true},
		{"aws: another profile's keys", awsCLI, nil, nil,
			func(w *world) {
				w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDOTHER", "AKIDNEW", 1))
			}, false},
		{"aws: another profile's config", awsCLI, nil, nil,
			func(w *world) { w.write(".aws/config", strings.Replace(awsConfig, "us-east-1", "us-west-2", 1)) }, false},
		{"aws: AWS_PROFILE's role", awsCLI, map[string]string{"AWS_PROFILE": "dev"}, nil,
			func(w *world) { w.write(".aws/config", strings.Replace(awsConfig, "role/dev", "role/admin", 1)) }, true},
		{"aws: source_profile's keys", awsCLI, map[string]string{"AWS_PROFILE": "dev"}, nil,
			func(w *world) { w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDBASE", "AKIDNEW", 1)) }, true},
		{"aws: source_profile changed", awsCLI, map[string]string{"AWS_PROFILE": "dev"}, nil,
			func(w *world) {
				w.write(".aws/config", strings.Replace(awsConfig, "source_profile = base", "source_profile = other", 1))
			}, true},
		{"aws: the default keys, not used by profile dev", awsCLI, map[string]string{"AWS_PROFILE": "dev"}, nil,
			func(w *world) {
				w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDDEFAULT", "AKIDNEW", 1))
			}, false},
		{"aws: AWS_DEFAULT_PROFILE", awsCLI, map[string]string{"AWS_DEFAULT_PROFILE": "other"}, nil,
			func(w *world) {
				w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDOTHER", "AKIDNEW", 1))
			}, true},
		{"aws: --profile beats AWS_PROFILE", append(awsCLI[:5:5], "--profile", "other"), map[string]string{"AWS_PROFILE": "dev"}, nil,
			func(w *world) {
				w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDOTHER", "AKIDNEW", 1))
			}, true},
		{"aws: --profile=", []string{"kcc-eks", "--cluster-name", "c", "--profile=other"}, nil, nil,
			func(w *world) {
				w.write(".aws/credentials", strings.Replace(awsCredentials, "AKIDOTHER", "AKIDNEW", 1))
			}, true},
		{"aws: the sso-session of the profile", awsCLI, map[string]string{"AWS_PROFILE": "sso"}, nil,
			func(w *world) { w.write(".aws/config", strings.Replace(awsConfig, "corp.awsapps", "other.awsapps", 1)) }, true},
		{"aws: the credentials file removed", awsCLI, nil, nil,
			func(w *world) { w.remove(".aws/credentials") }, true},
		{"aws: AWS_SHARED_CREDENTIALS_FILE elsewhere", awsCLI, nil, nil,
			func(w *world) { w.env["AWS_SHARED_CREDENTIALS_FILE"] = w.path("elsewhere/credentials") }, true},
		{"aws: AWS_CONFIG_FILE's file", awsCLI, map[string]string{"AWS_CONFIG_FILE": "$HOME/elsewhere/config"}, nil,
			func(w *world) { w.write("elsewhere/config", "[default]\nregion = x\n") }, true},
		{"aws-vault: exec's profile", []string{"aws-vault", "exec", "--duration", "1h", "dev", "--", "aws", "eks", "get-token"}, nil, nil,
			func(w *world) { w.write(".aws/config", strings.Replace(awsConfig, "role/dev", "role/admin", 1)) }, true},
		{"aws: the gcloud files", awsCLI, nil, nil,
			func(w *world) { w.write(gcloudDefault, "") }, false},

		{"az: default subscription", []string{"kubelogin", "get-token", "--login", "azurecli"}, nil, nil,
			func(w *world) { w.write(".azure/azureProfile.json", `{"subscriptions":[{"id":"2","isDefault":true}]}`) }, true},
		{"az: clouds.config", []string{"az", "account", "get-access-token"}, nil, nil,
			func(w *world) { w.write(".azure/clouds.config", "[AzureCloud]\nsubscription = 2\n") }, true},
		{"az: AZURE_CONFIG_DIR", []string{"kubelogin.exe"}, nil, nil,
			func(w *world) { w.env["AZURE_CONFIG_DIR"] = w.path("elsewhere") }, true},
		{"az: the MSAL token cache", []string{"kubelogin"}, nil, nil,
			func(w *world) { w.write(".azure/msal_token_cache.json", `{"x":1}`) }, false},

		{"files: a listed file", []string{"kubectl-oidc_login", "get-token"}, nil, []string{" ~/oidc/token"},
			func(w *world) { w.write("oidc/token", "t2") }, true},
		{"files: a listed file removed", []string{"my-plugin"}, nil, []string{"~/oidc/token"},
			func(w *world) { w.remove("oidc/token") }, true},
		{"files: a file not listed", []string{"my-plugin"}, nil, []string{"~/elsewhere/adc.json"},
			func(w *world) { w.write("oidc/token", "t2") }, false},
		{"files: with a known plugin", awsCLI, nil, []string{"~/oidc/token"},
			func(w *world) { w.write("oidc/token", "t2") }, true},
		{"unknown plugin: nothing", []string{"my-plugin"}, nil, nil,
			func(w *world) { w.write(".aws/credentials", ""); w.write(gcloudDefault, "") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, baseFiles, tt.env)
			before := ForPlugin(tt.argv, w.lookup, tt.files).Fingerprint()
			if again := ForPlugin(tt.argv, w.lookup, tt.files).Fingerprint(); again != before {
				t.Fatalf("fingerprint not stable: %s, then %s", before, again)
			}
			tt.change(w)
			after := ForPlugin(tt.argv, w.lookup, tt.files).Fingerprint()
			if got := after != before; got != tt.want {
				t.Errorf("fingerprint changed: %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUnknownPluginHasNoInputs(t *testing.T) {
	w := newWorld(t, baseFiles, nil)
	s := ForPlugin([]string{"/opt/bin/my-plugin", "--profile", "x"}, w.lookup, nil)
	if !s.Empty() || s.Fingerprint() != "" {
		t.Errorf("an unknown plugin got inputs %v", s.Describe())
	}
}

// TestFingerprintHoldsNoContent: the digest and the description name no
// secret from the files.
func TestFingerprintHoldsNoContent(t *testing.T) {
	w := newWorld(t, baseFiles, map[string]string{"AWS_PROFILE": "dev"})
	s := ForPlugin([]string{"aws"}, w.lookup, []string{"~/oidc/token"})
	out := s.Fingerprint() + strings.Join(s.Describe(), "\n")
	for _, secret := range []string{"AKIDBASE", "base-secret-key", "oidc-token-one", "role/dev"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q shows in %q", secret, out)
		}
	}
}

// TestLargeFileIsNotRead: a file over maxRead counts by its metadata.
func TestLargeFileIsNotRead(t *testing.T) {
	w := newWorld(t, nil, nil)
	big := strings.Repeat("x", maxRead+1)
	w.write("big", big)
	if _, state := readSmall(w.path("big")); !strings.HasPrefix(state, "large ") {
		t.Fatalf("state %q, want large", state)
	}
	before := ForPlugin([]string{"p"}, w.lookup, []string{"~/big"}).Fingerprint()
	w.write("big", big+"y")
	if after := ForPlugin([]string{"p"}, w.lookup, []string{"~/big"}).Fingerprint(); after == before {
		t.Error("a grown large file did not change the fingerprint")
	}
}

func TestAWSProfileName(t *testing.T) {
	env := func(kv ...string) Lookup {
		return func(name string) (string, bool) {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == name {
					return kv[i+1], true
				}
			}
			return "", false
		}
	}
	tests := []struct {
		argv   []string
		lookup Lookup
		want   string
	}{
		{[]string{"aws", "eks", "get-token"}, env(), "default"},
		{[]string{"aws", "eks", "get-token"}, env("AWS_DEFAULT_PROFILE", "d"), "d"},
		{[]string{"aws", "eks", "get-token"}, env("AWS_PROFILE", "p", "AWS_DEFAULT_PROFILE", "d"), "p"},
		{[]string{"aws", "--profile", "f", "eks"}, env("AWS_PROFILE", "p"), "f"},
		{[]string{"aws", "--profile=f"}, env(), "f"},
		{[]string{"aws-vault", "exec", "v", "--", "aws", "--profile", "x"}, env(), "v"},
		{[]string{"aws-vault", "exec", "-d", "1h", "v"}, env(), "v"},
		{[]string{"aws-vault", "exec", "--no-session", "v", "--", "kcc-eks"}, env(), "v"},
	}
	for _, tt := range tests {
		if got := awsProfileName(tt.argv, tt.lookup); got != tt.want {
			t.Errorf("awsProfileName(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}
