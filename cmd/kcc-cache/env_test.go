package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kelseyhightower/envconfig"
)

// envconfigSpec is the struct kcc-cache handed to envconfig.Process before
// it read its variables from a table (env.go). The test runs envconfig on it
// as the reference for what each input must give.
type envconfigSpec struct {
	Backend           string        `envconfig:"BACKEND" default:"auto"`
	File              string        `envconfig:"FILE"`
	RefreshMargin     time.Duration `envconfig:"REFRESH_MARGIN" default:"30s"`
	DefaultTTL        time.Duration `envconfig:"DEFAULT_TTL" default:"1h"`
	NoExpiryThreshold time.Duration `envconfig:"NO_EXPIRY_THRESHOLD" default:"24h"`
	CacheKeyEnvList   []string      `envconfig:"CACHEKEY_ENV_LIST" default:"KUBE_CREDENTIAL_CACHE_USER,AWS_PROFILE,AWS_DEFAULT_PROFILE,AWS_REGION,AWS_DEFAULT_REGION,AWS_VAULT,AWS_ROLE_ARN,AWS_ACCESS_KEY_ID,AWS_CONFIG_FILE,AWS_SHARED_CREDENTIALS_FILE,CLOUDSDK_CONFIG,GOOGLE_APPLICATION_CREDENTIALS,AZURE_CONFIG_DIR"`
	Debug             truthy        `envconfig:"DEBUG"`
	LockTimeout       time.Duration `envconfig:"LOCK_TIMEOUT" default:"2m"`
	HealCooldown      time.Duration `envconfig:"HEAL_COOLDOWN" default:"5m"`
	KeyringTimeout    time.Duration `envconfig:"KEYRING_TIMEOUT" default:"500ms"`
	Agent             truthy        `envconfig:"AGENT" default:"true"`
	AgentIdle         time.Duration `envconfig:"AGENT_IDLE" default:"15m"`
	CacheKeyFiles     []string      `envconfig:"CACHEKEY_FILES"`
}

// viaEnvconfig is how loadConfig read the variables with envconfig.
func viaEnvconfig() (envconfigSpec, error) {
	var spec envconfigSpec
	if err := envconfig.Process(envPrefix, &spec); err != nil {
		var perr *envconfig.ParseError
		if errors.As(err, &perr) {
			return envconfigSpec{}, fmt.Errorf("invalid %s=%q: %v", perr.KeyName, perr.Value, perr.Err)
		}
		return envconfigSpec{}, err
	}
	return spec, nil
}

// The table of settings is the struct, field for field: same names, same
// defaults, same order, same types.
func TestSettingsAreTheEnvconfigStruct(t *testing.T) {
	var cfg config
	settings := cfg.settings()
	st := reflect.TypeFor[envconfigSpec]()
	ct := reflect.TypeFor[config]()
	if st.NumField() != len(settings) || ct.NumField() != len(settings) {
		t.Fatalf("%d settings, %d struct fields, %d config fields", len(settings), st.NumField(), ct.NumField())
	}
	for i, s := range settings {
		f := st.Field(i)
		if f.Tag.Get("envconfig") != s.name || f.Tag.Get("default") != s.def {
			t.Errorf("setting %d is %s=%q, the struct has %s=%q", i, s.name, s.def, f.Tag.Get("envconfig"), f.Tag.Get("default"))
		}
		if c := ct.Field(i); c.Name != f.Name || c.Type != f.Type {
			t.Errorf("config field %d is %s %v, the struct has %s %v", i, c.Name, c.Type, f.Name, f.Type)
		}
	}
}

// TestEnvMatchesEnvconfig runs envconfig and the table on the same
// environments: same values, same errors.
func TestEnvMatchesEnvconfig(t *testing.T) {
	var cfg config
	var names []string
	for _, s := range cfg.settings() {
		names = append(names, s.name)
	}
	cases := []map[string]string{
		{}, // every default
		{"BACKEND": "file", "FILE": "/tmp/x/cache.json", "DEBUG": "yes"},
		{"BACKEND": "", "FILE": ""},                   // set but empty: kept empty, no default
		{"REFRESH_MARGIN": "abc"},                     // the error users see
		{"DEFAULT_TTL": ""},                           // an empty duration is an error
		{"LOCK_TIMEOUT": "0"},                         // zero is a value
		{"HEAL_COOLDOWN": "-1h"},                      // parses; loadConfig rejects it later
		{"KEYRING_TIMEOUT": "1h30m15.5s"},             // any Go duration
		{"NO_EXPIRY_THRESHOLD": "5"},                  // a number without unit
		{"CACHEKEY_ENV_LIST": ""},                     // empty list
		{"CACHEKEY_ENV_LIST": "   "},                  // only white space
		{"CACHEKEY_ENV_LIST": "A, B ,,C"},             // items as written
		{"CACHEKEY_ENV_LIST": "A=B"},                  // parses; loadConfig rejects it later
		{"DEBUG": "maybe"},                            // truthy's own error
		{"DEBUG": " ON "},                             // truthy trims and folds case
		{"AGENT": "off", "AGENT_IDLE": "30s"},         // the agent's switch and idle time
		{"DEBUG": "0", "REFRESH_MARGIN": "1x"},        // the first bad one wins
		{"REFRESH_MARGIN": "1x", "LOCK_TIMEOUT": "y"}, // in struct order
	}
	for i, vars := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			for _, n := range names {
				// Neither the prefixed nor the bare name may leak in from
				// the environment the test runs in.
				for _, k := range []string{envPrefix + "_" + n, n} {
					t.Setenv(k, "")
					os.Unsetenv(k)
				}
			}
			for k, v := range vars {
				t.Setenv(envPrefix+"_"+k, v)
			}
			want, wantErr := viaEnvconfig()
			var got config
			gotErr := readEnv(envPrefix, got.settings(), os.LookupEnv)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Fatalf("error %v, envconfig's %v", gotErr, wantErr)
			}
			if wantErr == nil && !reflect.DeepEqual(envconfigSpec(got), want) {
				t.Fatalf("got %+v, envconfig gives %+v", got, want)
			}
		})
	}
}

// The bare names envconfig also read (DEBUG, FILE, ...) are other programs'
// variables: DEBUG=express:* once failed every kubectl call.
func TestBareNamesAreNotRead(t *testing.T) {
	t.Setenv("KUBE_CREDENTIAL_CACHE_FILE", t.TempDir()+"/cache.json")
	for _, kv := range [][2]string{{"DEBUG", "express:*"}, {"BACKEND", "etcd"}, {"REFRESH_MARGIN", "soon"}, {"FILE", "/elsewhere"}} {
		t.Setenv(kv[0], kv[1])
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatalf("a bare variable broke the configuration: %v", err)
	}
	if bool(cfg.Debug) || cfg.Backend != "auto" || cfg.RefreshMargin != 30*time.Second || strings.HasPrefix(cfg.File, "/elsewhere") {
		t.Errorf("a bare variable changed the configuration: %+v", cfg)
	}
}
