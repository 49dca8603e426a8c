package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/samlidp"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/secrets"
)

// The SAML world: alice's assertion grants a role in moto's default account
// (role,provider order) and one in another account (provider,role order);
// bob's grants none.
const (
	samlAccountA   = motoserver.DefaultAccount
	samlAccountB   = "222222222222"
	samlDevRole    = "arn:aws:iam::" + samlAccountA + ":role/dev"
	samlDevIdP     = "arn:aws:iam::" + samlAccountA + ":saml-provider/idp"
	samlOpsRole    = "arn:aws:iam::" + samlAccountB + ":role/ops"
	samlOpsIdP     = "arn:aws:iam::" + samlAccountB + ":saml-provider/idp"
	samlChainRole  = "arn:aws:iam::" + samlAccountB + ":role/chained"
	samlAlice      = "alice"
	samlPassword   = "alice-Pa55w0rd-never-shown"
	samlBob        = "bob"
	samlBobPass    = "bob-Pa55w0rd-never-shown"
	samlAlphaARN   = "arn:aws:eks:eu-west-1:" + samlAccountA + ":cluster/alpha"
	samlBetaARN    = "arn:aws:eks:eu-west-1:" + samlAccountB + ":cluster/beta"
	samlOpsProfile = "kcc-saml-" + samlAccountB + "-ops"
	// assertionMark is base64 of "<samlp:Response": the start of every
	// SAMLResponse the IdP sends.
	assertionMark = "PHNhbWxwOlJlc3BvbnNl"
)

// samlEnv is one user's machine: its own HOME, AWS config, kcc store,
// kubeconfig, history and the built binaries on PATH (the profile's
// credential_process runs kcc-connect by name).
type samlEnv struct {
	dir, bin, awsConfig, store, kubeconfig, history string
	env                                             []string
	// outputs is everything the programs printed, for the secret check.
	outputs *[]string
}

func newSAMLEnv(t *testing.T, bin, moto string) samlEnv {
	t.Helper()
	dir := t.TempDir()
	e := samlEnv{
		dir:        dir,
		bin:        bin,
		awsConfig:  filepath.Join(dir, "aws", "config"),
		store:      filepath.Join(dir, "kcc", "cache.json"),
		kubeconfig: filepath.Join(dir, "kube", "config"),
		history:    filepath.Join(dir, "connect", "history.yaml"),
		outputs:    new([]string),
	}
	e.env = []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + filepath.Join(dir, "home"),
		"AWS_CONFIG_FILE=" + e.awsConfig,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "aws", "credentials"),
		"AWS_ENDPOINT_URL=" + moto,
		"AWS_EC2_METADATA_DISABLED=true",
		"KUBE_CREDENTIAL_CACHE_BACKEND=file",
		"KUBE_CREDENTIAL_CACHE_FILE=" + e.store,
		"KCC_CONNECT_CONFIG=" + filepath.Join(dir, "connect", "config.yaml"),
		"KCC_CONNECT_HISTORY_FILE=" + e.history,
		"KCC_CONNECT_NO_VERSION_CHECK=1",
	}
	return e
}

// run runs a program of the machine with stdin and extra env.
func (e samlEnv) run(t *testing.T, stdin string, extra []string, name string, args ...string) result {
	t.Helper()
	if _, err := os.Stat(filepath.Join(e.bin, name)); err == nil {
		name = filepath.Join(e.bin, name) // exec.Command looks in the test's PATH
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(append([]string(nil), e.env...), extra...)
	cmd.Stdin = strings.NewReader(stdin)
	r := testbin.Run(t, cmd)
	*e.outputs = append(*e.outputs, r.Stdout, r.Stderr)
	return result{r.Code, r.Stdout, r.Stderr}
}

// connect runs kcc-connect with alice's password in the environment.
func (e samlEnv) connect(t *testing.T, idp string, args ...string) result {
	t.Helper()
	base := []string{"--idp-protocol", "saml", "--idp-endpoint", idp, "--username", samlAlice}
	return e.run(t, "", []string{passwordEnv + "=" + samlPassword}, "kcc-connect", append(args, base...)...)
}

// files is every file under the machine's directory but kcc's store
// entries, by path.
func (e samlEnv) files(t *testing.T) map[string][]byte {
	t.Helper()
	entries := filestore.EntriesDir(e.store)
	out := map[string][]byte{}
	err := filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(path, entries+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(path)
		out[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// discovered is the ids and profiles of a discover -o json listing.
func discovered(t *testing.T, r result) (ids, profiles []string) {
	t.Helper()
	var cs []connect.Cluster
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil {
		t.Fatalf("discover -o json: %v\nstdout %q\nstderr %q", err, r.stdout, r.stderr)
	}
	for _, c := range cs {
		ids = append(ids, c.ID)
		profiles = append(profiles, c.Profile)
	}
	return ids, profiles
}

// runEntry runs the exec plugin of the kubeconfig's user for contextName as
// kubectl does (its command and args, its env over the process's) and
// returns the token, or the result when it fails.
func (e samlEnv) runEntry(t *testing.T, contextName string) (string, result) {
	t.Helper()
	cfg := loadKubeconfig(t, e.kubeconfig)
	ctx := cfg.Contexts[contextName]
	if ctx == nil {
		t.Fatalf("no context %q in %s", contextName, e.kubeconfig)
	}
	x := cfg.AuthInfos[ctx.AuthInfo].Exec
	var env []string
	for _, v := range x.Env {
		env = append(env, v.Name+"="+v.Value)
	}
	env = append(env, `KUBERNETES_EXEC_INFO={"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{"interactive":false}}`)
	r := e.run(t, "", env, x.Command, x.Args...)
	if r.code != 0 {
		return "", r
	}
	var cred struct {
		Status struct {
			Token string `json:"token"`
		} `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &cred); err != nil || cred.Status.Token == "" {
		t.Fatalf("%s printed no ExecCredential: %v\n%s", x.Command, err, r.stdout)
	}
	return cred.Status.Token, r
}

// TestSAMLEndToEnd logs in through a real SAML IdP's own login form
// (crewjam/saml's samlidp, internal/samlidp) and trades the assertion at
// moto's STS (AssumeRoleWithSAML, with several roles as AWS does:
// motoserver.StartSAML): discover finds exactly the chosen role's clusters,
// use writes entries whose exec signs with the role's session (checked by
// replaying the token to moto's STS), the real AWS CLI uses the profile, an
// expired session names `kcc-connect to ID`, and no password, assertion,
// secret key or session token appears in any output or file outside kcc's
// store.
func TestSAMLEndToEnd(t *testing.T) {
	awsCLI := testbin.Require(t, "aws")
	moto := motoserver.StartSAML(t)
	setup := motoserver.Config(moto, "eu-west-1", "AKIDSAMLSETUP", "saml-setup-secret", "")
	motoserver.CreateCluster(t, setup, "alpha")
	motoserver.CreateCluster(t, motoserver.AssumeRole(t, setup, "arn:aws:iam::"+samlAccountB+":role/setup"), "beta")
	idp := samlidp.Start(t,
		samlidp.User{Name: samlAlice, Password: samlPassword, Roles: []string{samlDevRole + "," + samlDevIdP, samlOpsIdP + "," + samlOpsRole}, SessionDuration: 3600},
		samlidp.User{Name: samlBob, Password: samlBobPass},
	)
	bin := t.TempDir()
	for _, name := range []string{"kcc-connect", "kcc-eks", "kcc-cache"} {
		testbin.Build(t, bin, name)
	}
	e := newSAMLEnv(t, bin, moto)

	t.Run("discover", func(t *testing.T) {
		for _, tc := range []struct {
			name, stdin string
			args        []string
			ids         []string
			profile     string
		}{
			{"role-arn", "", []string{"--role-arn", samlDevRole}, []string{samlAlphaARN}, "kcc-saml-" + samlAccountA + "-dev"},
			{"role-filter, other account, provider,role order", "", []string{"--role-filter", samlAccountB}, []string{samlBetaARN}, samlOpsProfile},
			{"chained role", "", []string{"--role-arn", samlDevRole, "--assume-role-arn", samlChainRole}, []string{samlBetaARN}, "kcc-saml-" + samlAccountB + "-chained"},
			{"password on stdin", samlPassword + "\n", []string{"--role-arn", samlDevRole, "--password-stdin"}, []string{samlAlphaARN}, "kcc-saml-" + samlAccountA + "-dev"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				args := append([]string{"discover", "-o", "json", "--region", "eu-west-1", "--idp-protocol", "saml", "--idp-endpoint", idp.StartURL(), "--username", samlAlice}, tc.args...)
				var extra []string
				if tc.stdin == "" {
					extra = []string{passwordEnv + "=" + samlPassword}
				}
				r := e.run(t, tc.stdin, extra, "kcc-connect", args...).wantOK(t)
				ids, profiles := discovered(t, r)
				if !slices.Equal(ids, tc.ids) || len(profiles) != 1 || profiles[0] != tc.profile {
					t.Errorf("discover found %v with profiles %v; want %v with %s\nIdP:\n%s", ids, profiles, tc.ids, tc.profile, idp.Output())
				}
			})
		}
		if files := e.files(t); len(files) != 0 {
			t.Errorf("discover wrote files: %v", slices.Collect(maps.Keys(files)))
		}
	})

	t.Run("terminal: password without echo, role picker", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "clusters.json")
		s := testbin.StartTerminal(t, e.env, testbin.Quote(filepath.Join(bin, "kcc-connect"), "discover", "-o", "json", "--region", "eu-west-1",
			"--idp-protocol", "saml", "--idp-endpoint", idp.StartURL(), "--username", samlAlice)+" > "+testbin.Quote(out))
		s.WaitFor(t, "Password for alice at "+idp.StartURL()+": ")
		s.Send(t, "-l", samlPassword)
		s.Send(t, "Enter")
		screen := s.WaitFor(t, "2/2")
		if !strings.Contains(screen, samlDevRole) || !strings.Contains(screen, samlOpsRole) {
			t.Fatalf("the picker does not offer both roles:\n%s", screen)
		}
		s.Send(t, "Down")
		s.Send(t, "Enter")
		screen = s.WaitFor(t, "EXIT:")
		*e.outputs = append(*e.outputs, screen)
		if !strings.Contains(screen, "EXIT:0") || strings.Contains(screen, samlPassword) {
			t.Fatalf("want exit 0 and no password on the screen:\n%s", screen)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if ids, _ := discovered(t, result{stdout: string(b)}); !slices.Equal(ids, []string{samlBetaARN}) {
			t.Errorf("picking the second role found %v, want beta only", ids)
		}
	})

	t.Run("use writes entries whose exec signs with the role", func(t *testing.T) {
		r := e.connect(t, idp.StartURL(), "use", "--all", "-k", e.kubeconfig, "--region", "eu-west-1", "--role-arn", samlOpsRole).wantOK(t)
		if !strings.Contains(r.stderr, "AWS profile "+samlOpsProfile) {
			t.Errorf("use does not name the profile: %q", r.stderr)
		}
		cfg := loadKubeconfig(t, e.kubeconfig)
		if len(cfg.Contexts) != 1 || cfg.Contexts["beta"] == nil {
			t.Fatalf("contexts %v, want only beta", cfg.Contexts)
		}
		x := cfg.AuthInfos[cfg.Contexts["beta"].AuthInfo].Exec
		if x.Command != "kcc-cache" || len(x.Args) == 0 || x.Args[0] != "kcc-eks" || !slices.ContainsFunc(x.Env, func(v clientcmdapi.ExecEnvVar) bool { return v.Name == "AWS_PROFILE" && v.Value == samlOpsProfile }) {
			t.Errorf("exec %s %v env %v; want kcc-cache kcc-eks with AWS_PROFILE=%s", x.Command, x.Args, x.Env, samlOpsProfile)
		}
		token, r := e.runEntry(t, "beta")
		if token == "" {
			t.Fatalf("the entry's exec failed: exit %d, stderr %q", r.code, r.stderr)
		}
		key, arn := motoserver.TokenCaller(t, moto, token)
		if want := "arn:aws:sts::" + samlAccountB + ":assumed-role/ops/" + samlAlice; arn != want {
			t.Errorf("the token's caller is %s, want %s", arn, want)
		}
		creds := e.run(t, "", nil, "kcc-connect", "credentials", "--profile", samlOpsProfile).wantOK(t)
		*e.outputs = (*e.outputs)[:len(*e.outputs)-2] // printing the session is its job
		if !strings.Contains(creds.stdout, `"AccessKeyId":"`+key+`"`) {
			t.Errorf("the token is signed by %s, which is not the stored session's", key)
		}
	})

	t.Run("the AWS CLI uses the profile", func(t *testing.T) {
		cmd := exec.Command(awsCLI, "--profile", samlOpsProfile, "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
		cmd.Env = e.env
		out, err := cmd.CombinedOutput()
		*e.outputs = append(*e.outputs, string(out))
		if want := "arn:aws:sts::" + samlAccountB + ":assumed-role/ops/" + samlAlice; err != nil || strings.TrimSpace(string(out)) != want {
			t.Errorf("aws sts get-caller-identity: %v: %q, want %s", err, out, want)
		}
	})

	t.Run("refusals write nothing", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			endpoint string
			user     string
			password string
			args     []string
			env      []string
			code     int
			want     string
		}{
			{"wrong password", idp.StartURL(), samlAlice, "not-" + samlPassword, nil, nil, 1, "the identity provider refused the username or password"},
			{"assertion without roles", idp.StartURL(), samlBob, samlBobPass, nil, nil, 1, "the SAML assertion grants no AWS role"},
			{"role not in the assertion", idp.StartURL(), samlAlice, samlPassword, []string{"--role-arn", "arn:aws:iam::" + samlAccountA + ":role/other"}, nil, 2, "is not among the roles the SAML assertion grants"},
			{"two roles, no terminal", idp.StartURL(), samlAlice, samlPassword, nil, nil, 2, "choose one with --role-arn or --role-filter"},
			{"IdP error page", idp.URL + "/login/no-such-app", samlAlice, samlPassword, nil, nil, 1, "the identity provider answered 404 Not Found"},
			{"no region", idp.StartURL(), samlAlice, samlPassword, []string{"--role-arn", samlDevRole}, []string{"AWS_REGION=", "AWS_DEFAULT_REGION="}, 2, "pass --region"},
			{"no password", idp.StartURL(), samlAlice, "", []string{"--role-arn", samlDevRole}, nil, 2, "--password-stdin or KCC_CONNECT_PASSWORD"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := newSAMLEnv(t, bin, moto)
				f.outputs = e.outputs
				args := []string{"use", "--all", "-k", f.kubeconfig, "--idp-protocol", "saml", "--idp-endpoint", tc.endpoint, "--username", tc.user}
				if tc.name != "no region" {
					args = append(args, "--region", "eu-west-1")
				}
				env := tc.env
				if tc.password != "" {
					env = append(env, passwordEnv+"="+tc.password)
				}
				f.run(t, "", env, "kcc-connect", append(args, tc.args...)...).wantError(t, tc.code, tc.want)
				if files := f.files(t); len(files) != 0 {
					t.Errorf("files written on a refusal: %v", slices.Collect(maps.Keys(files)))
				}
			})
		}
	})

	t.Run("an expired session names kcc-connect to ID", func(t *testing.T) {
		var hist []struct {
			ID      string `json:"id"`
			Profile string `json:"profile"`
		}
		r := e.run(t, "", nil, "kcc-connect", "history", "-o", "json").wantOK(t)
		if err := json.Unmarshal([]byte(r.stdout), &hist); err != nil || len(hist) != 1 || hist[0].Profile != samlOpsProfile {
			t.Fatalf("history: %v %s", err, r.stdout)
		}
		store := secrets.New(filestore.NewFile(e.store))
		var v storedSession
		if ok, err := store.Load(secretKind, samlOpsProfile, &v); !ok || err != nil {
			t.Fatalf("no stored session: %v", err)
		}
		if err := store.Delete(secretKind, samlOpsProfile); err != nil {
			t.Fatal(err)
		}
		// Expired: what Load no longer returns.
		v.Expiration = v.Expiration.Add(-24 * 3600e9)
		if err := store.Save(secretKind, samlOpsProfile, v, v.Expiration); err != nil {
			t.Fatal(err)
		}
		want := "kcc-connect: the SAML role session of AWS profile " + samlOpsProfile + " has expired (or is not in kcc's store): log in again with `kcc-connect to " + hist[0].ID + "`\n"
		e.run(t, "", nil, "kcc-connect", "credentials", "--profile", samlOpsProfile).wantError(t, 1, want[len("kcc-connect: "):len(want)-1])
		token, r := e.runEntry(t, "beta")
		if token != "" || !strings.Contains(r.stderr, want) {
			t.Errorf("the entry's exec with an expired session: token %v, stderr %q; want the line %q", token != "", r.stderr, want)
		}

		r = e.run(t, "", []string{passwordEnv + "=" + samlPassword}, "kcc-connect", "to", hist[0].ID).wantOK(t)
		if token, r = e.runEntry(t, "beta"); token == "" {
			t.Fatalf("after kcc-connect to: exit %d, stderr %q", r.code, r.stderr)
		}
	})

	t.Run("no secret in any output or file", func(t *testing.T) {
		secretsSeen := []string{samlPassword, samlBobPass, assertionMark}
		for _, r := range motoserver.AssumedRoles(t, moto) {
			secretsSeen = append(secretsSeen, r.SecretAccessKey, r.SessionToken)
		}
		for path, b := range e.files(t) {
			for _, s := range secretsSeen {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds a secret (%.12s…)", path, s)
				}
			}
		}
		for _, out := range *e.outputs {
			for _, s := range secretsSeen {
				if strings.Contains(out, s) {
					t.Errorf("an output shows a secret (%.12s…):\n%s", s, out)
				}
			}
		}
		entries, err := os.ReadDir(filestore.EntriesDir(e.store))
		if err != nil || len(entries) == 0 {
			t.Fatalf("kcc's store has no entries: %v", err)
		}
		for _, d := range entries {
			if info, _ := d.Info(); info.Mode().Perm() != 0o600 {
				t.Errorf("store entry %s is %v, want 0600", d.Name(), info.Mode().Perm())
			}
		}
	})
}
