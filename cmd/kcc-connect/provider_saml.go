package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/IvMisticos/kube-credential-cache/internal/awsini"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
	"github.com/IvMisticos/kube-credential-cache/internal/userfile"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/eks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/picker"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/saml"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/secrets"
)

// protocolSAML is --idp-protocol's one value.
const protocolSAML = "saml"

// passwordEnv gives the IdP password without a terminal (CI). It is read
// here only: no flag has this name, so neither the config file nor the
// history can hold it.
const passwordEnv = envPrefix + "PASSWORD"

// samlProfilePrefix starts the AWS profiles that serve a SAML role session.
const samlProfilePrefix = "kcc-saml-"

// secretKind is the kind of the role sessions in kcc's store.
const secretKind = "aws-saml-session"

// The keys of a kcc-saml-… profile that say how to log in again (`to`);
// the AWS tools ignore keys they do not know.
const (
	keyEndpoint   = "kcc_idp_endpoint"
	keyUsername   = "kcc_username"
	keyRoleARN    = "kcc_saml_role_arn"
	keyAssumeRole = "kcc_assume_role_arn"
)

// samlFlags are the SAML identity's flags (eks provider).
type samlFlags struct {
	protocol        string
	endpoint        string
	roleARN         string
	roleFilter      string
	assumeRoleARN   string
	sessionDuration time.Duration

	// session is the role session of this command's login, once done.
	session *samlSession
}

// samlSession is what a login leaves: the profile that will serve it.
type samlSession struct {
	profile string
	region  string
	role    saml.Role
	creds   aws.Credentials
}

// storedSession is the value kept in kcc's store under the profile's name.
type storedSession struct {
	AccessKeyID     string    `json:"accessKeyId"`
	SecretAccessKey string    `json:"secretAccessKey"`
	SessionToken    string    `json:"sessionToken"`
	Expiration      time.Time `json:"expiration"`
}

// samlOnly are the flags of a SAML login.
var samlOnly = []string{"idp-protocol", "idp-endpoint", "role-filter", "assume-role-arn", "session-duration"}

// addSAMLFlags adds the SAML identity's flags (and --role-arn where the
// command has none: use's picks the SAML role too).
func addSAMLFlags(fs *pflag.FlagSet, a *app) {
	s := &a.saml
	fs.StringVar(&s.protocol, "idp-protocol", "", "[eks] log in at an identity provider: saml")
	fs.StringVar(&s.endpoint, "idp-endpoint", "", "[eks] the IdP's IdP-initiated login `URL` of the AWS application (--idp-protocol saml)")
	addLoginFlags(fs, a)
	if fs.Lookup("role-arn") == nil {
		fs.StringVar(&s.roleARN, "role-arn", "", "[eks] with --idp-protocol saml: the `ARN` of the role to take from the SAML assertion")
	}
	fs.StringVar(&s.roleFilter, "role-filter", "", "[eks] with --idp-protocol saml: keep the assertion's roles whose ARN contains this `text`")
	fs.StringVar(&s.assumeRoleARN, "assume-role-arn", "", "[eks] with --idp-protocol saml: assume this role `ARN` with the SAML role's session (cross-account)")
	fs.DurationVar(&s.sessionDuration, "session-duration", 0, "[eks] with --idp-protocol saml: role session length (default: the assertion's SessionDuration, else 1h)")
}

// checkSAMLFlags refuses SAML flags that do not fit the provider or one
// another.
func (a *app) checkSAMLFlags(cmd *cobra.Command, provider string) error {
	fs := cmd.Flags()
	if fs.Lookup("idp-protocol") == nil {
		return nil // to: the profile says how to log in
	}
	if a.saml.protocol == "" {
		for _, n := range samlOnly[1:] {
			if fs.Changed(n) {
				return cli.Usagef("--%s is for --idp-protocol saml", n)
			}
		}
		if provider != rancher.Name {
			for _, n := range loginFlagNames {
				if fs.Changed(n) {
					return cli.Usagef("--%s is for --idp-protocol saml or --provider rancher", n)
				}
			}
		}
		return nil
	}
	if provider != providerEKS {
		return cli.Usagef("--idp-protocol is for --provider eks, and the provider is %s", provider)
	}
	if a.saml.protocol != protocolSAML {
		return cli.Usagef("--idp-protocol %q: want saml", a.saml.protocol)
	}
	for _, n := range []string{"profile", "all-profiles"} {
		if fs.Changed(n) {
			return cli.Usagef("--%s and --idp-protocol saml both give the AWS identity; give one", n)
		}
	}
	if a.saml.endpoint == "" || a.login.username == "" {
		return cli.Usagef("--idp-protocol saml needs --idp-endpoint (the IdP's login URL of the AWS application) and --username")
	}
	if a.saml.sessionDuration < 0 {
		return cli.Usagef("--session-duration %s: want a positive duration", a.saml.sessionDuration)
	}
	return nil
}

// samlOn says whether this command logs in with SAML.
func (a *app) samlOn() bool { return a.saml.protocol == protocolSAML }

// samlRegion is where STS and discovery go: the first --region, else the
// SDK's region settings (AWS_REGION, AWS_DEFAULT_REGION, the default
// profile). Without one, SAML has no profile to take it from.
func (a *app) samlRegion(ctx context.Context, sel connect.Selection) (string, error) {
	if len(sel.Regions) > 0 {
		return sel.Regions[0], nil
	}
	cfg, err := a.awsConfig(ctx, "")
	if err == nil && cfg.Region != "" {
		return cfg.Region, nil
	}
	if sel.AllRegions {
		return "us-east-1", nil
	}
	return "", cli.Usagef("no AWS region for the SAML role session: pass --region (or set AWS_REGION, or kcc-connect config set region ...)")
}

// awsConfig is the SDK configuration of the global flags, for STS.
func (a *app) awsConfig(ctx context.Context, region string) (aws.Config, error) {
	p, ok := a.newProvider(a.eksOptions(nil)).(interface {
		LoadConfig(context.Context, string, string) (aws.Config, error)
	})
	if !ok {
		return config.LoadDefaultConfig(ctx, config.WithRegion(region))
	}
	return p.LoadConfig(ctx, "", region)
}

// eksOptions are the EKS provider's options for this command: with a SAML
// login, its role session signs.
func (a *app) eksOptions(progress func(connect.Progress)) eks.Options {
	o := eks.Options{
		AppID:          name + "/" + appVersion(),
		RequestTimeout: a.requestTimeout,
		MaxRetries:     a.maxRetries,
		Logger:         a.log,
		Progress:       progress,
	}
	if s := a.saml.session; s != nil {
		o.Credentials = credentials.StaticCredentialsProvider{Value: s.creds}
	}
	return o
}

// samlLogin logs in at the IdP, picks the role, assumes it and returns the
// selection that scans it: the role session's profile in the region. Nothing
// is written: saveSAML does that once use has its clusters.
func (a *app) samlLogin(ctx context.Context, sel connect.Selection) (connect.Selection, error) {
	region, err := a.samlRegion(ctx, sel)
	if err != nil {
		return sel, err
	}
	if len(sel.Regions) == 0 && !sel.AllRegions {
		sel.Regions = []string{region}
	}
	password, err := a.password()
	if err != nil {
		return sel, err
	}
	login := saml.FormLogin{StartURL: a.saml.endpoint, Client: a.httpClient}
	response, err := login.Assertion(ctx, saml.Credentials{Username: a.login.username, Password: password})
	if err != nil {
		return sel, err
	}
	assertion, err := saml.ParseAssertion(response)
	if err != nil {
		return sel, err
	}
	roles, err := saml.ChooseRoles(assertion.Roles, a.saml.roleARN, a.saml.roleFilter)
	if err != nil {
		return sel, cli.Usagef("%v", err)
	}
	role, err := a.pickRole(roles)
	if err != nil {
		return sel, err
	}
	duration := a.saml.sessionDuration
	if duration == 0 {
		duration = assertion.SessionDuration
	}
	cfg, err := a.awsConfig(ctx, region)
	if err != nil {
		return sel, err
	}
	session, err := saml.Assume(ctx, cfg, saml.AssumeInput{
		SAMLResponse: response, Role: role, Duration: duration,
		ChainRoleARN: a.saml.assumeRoleARN, SessionName: assertion.SessionName,
	})
	if err != nil {
		return sel, err
	}
	final := role
	if a.saml.assumeRoleARN != "" {
		final = saml.Role{RoleARN: a.saml.assumeRoleARN}
	}
	a.saml.session = &samlSession{profile: samlProfileName(final), region: region, role: role, creds: session.Credentials}
	a.log.Info("SAML role session", "role", role.RoleARN, "arn", session.ARN, "expires", session.Credentials.Expires)
	sel.Profiles = []string{a.saml.session.profile}
	return sel, nil
}

// notName is what may not appear in a profile name.
var notName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// samlProfileName is kcc-saml-ACCOUNT-ROLE.
func samlProfileName(r saml.Role) string {
	return samlProfilePrefix + r.Account() + "-" + notName.ReplaceAllString(r.Name(), "_")
}

// pickRole takes the one role, or asks on a terminal.
func (a *app) pickRole(roles []saml.Role) (saml.Role, error) {
	if len(roles) == 1 {
		return roles[0], nil
	}
	in, isFile := a.stdin.(*os.File)
	if a.login.passwordStdin || !isFile || !a.terminal(in) || !a.terminal(a.stderr) {
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = r.RoleARN
		}
		return saml.Role{}, cli.Usagef("the SAML assertion grants %d roles (%s): choose one with --role-arn or --role-filter", len(roles), strings.Join(names, ", "))
	}
	labels := make([]string, len(roles))
	for i, r := range roles {
		labels[i] = termtext.Clean(fmt.Sprintf("%-14s %s", r.Account(), r.RoleARN))
	}
	i, err := picker.Pick(in, a.stderr, labels)
	if err != nil {
		return saml.Role{}, err
	}
	return roles[i], nil
}

// password reads the IdP password: --password-stdin, else
// $KCC_CONNECT_PASSWORD, else a prompt without echo on the terminal.
func (a *app) password() (string, error) {
	if a.login.passwordStdin {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("--password-stdin: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", cli.Usagef("--password-stdin: stdin has no password")
		}
		return line, nil
	}
	if p := a.getenv(passwordEnv); p != "" {
		return p, nil
	}
	in, isFile := a.stdin.(*os.File)
	if !isFile || !a.terminal(in) {
		return "", cli.Usagef("no IdP password: run on a terminal to be asked, or give it with --password-stdin or %s", passwordEnv)
	}
	fmt.Fprintf(a.stderr, "Password for %s at %s: ", termtext.Clean(a.login.username), termtext.Clean(redactURL(a.saml.endpoint)))
	b, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", fmt.Errorf("could not read the password: %w", err)
	}
	if len(b) == 0 {
		return "", cli.Usagef("no password given")
	}
	return string(b), nil
}

func redactURL(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}

// saveSAML keeps the role session in kcc's store and writes its profile,
// whose credential_process serves it: called once use has its clusters.
func (a *app) saveSAML() error {
	s := a.saml.session
	if s == nil {
		return nil
	}
	store, err := a.openSecrets()
	if err != nil {
		return err
	}
	defer store.Close()
	v := storedSession{AccessKeyID: s.creds.AccessKeyID, SecretAccessKey: s.creds.SecretAccessKey, SessionToken: s.creds.SessionToken, Expiration: s.creds.Expires}
	if err := store.Save(secretKind, s.profile, v, s.creds.Expires); err != nil {
		return err
	}
	path := awsConfigFile(a.getenv)
	old, err := userfile.Read(path, 1<<20)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("could not read the AWS config file: %w", err)
	}
	keys := [][2]string{
		{"credential_process", fmt.Sprintf("%s credentials --no-version-check --profile %s", name, s.profile)},
		{"region", s.region},
		{keyEndpoint, a.saml.endpoint},
		{keyUsername, a.login.username},
		{keyRoleARN, s.role.RoleARN},
	}
	if a.saml.assumeRoleARN != "" {
		keys = append(keys, [2]string{keyAssumeRole, a.saml.assumeRoleARN})
	}
	text := awsini.SetProfile(string(old), s.profile, "written by kcc-connect: a SAML role session kept in kcc's store", keys)
	if err := userfile.Write(path, []byte(text)); err != nil {
		return fmt.Errorf("could not write the AWS config file: %w", err)
	}
	fmt.Fprintf(a.stderr, "%s: AWS profile %s serves the role session of %s until %s (aws --profile %s, AWS_PROFILE=%s)\n",
		name, s.profile, s.role.RoleARN, s.creds.Expires.Local().Format("15:04 MST"), s.profile, s.profile)
	return nil
}

func (a *app) openSecrets() (*secrets.Store, error) {
	debugf := func(format string, args ...any) { a.log.Debug(fmt.Sprintf(format, args...), "source", "store") }
	store, err := secrets.Open(debugf)
	if err != nil {
		return nil, err
	}
	if w := store.Warning(); w != "" {
		cli.Warn(a.stderr, name, w)
	}
	return store, nil
}

// awsConfigFile is the AWS config file the SDK and the CLI read.
func awsConfigFile(getenv func(string) string) string {
	if p := getenv("AWS_CONFIG_FILE"); p != "" {
		return p
	}
	return config.DefaultSharedConfigFilename()
}

// newCredentialsCmd serves a kcc-saml-… profile's role session to the AWS
// SDKs and CLI (credential_process).
func newCredentialsCmd(a *app) *cobra.Command {
	var profile string
	cmd := &cobra.Command{
		Use:   "credentials --profile kcc-saml-…",
		Short: "Print a SAML role session from kcc's store for an AWS profile's credential_process",
		Long: "credentials prints the role session a SAML login (use --idp-protocol saml) kept\n" +
			"in kcc's store, as the AWS SDKs and CLI read a credential_process's output.\n" +
			"The kcc-saml-… profiles use writes run it. An expired session is one line on\n" +
			"stderr naming the command that logs in again.",
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if !strings.HasPrefix(profile, samlProfilePrefix) {
				return cli.Usagef("--profile %q: want a %s… profile", profile, samlProfilePrefix)
			}
			store, err := a.openSecrets()
			if err != nil {
				return err
			}
			defer store.Close()
			var v storedSession
			ok, err := store.Load(secretKind, profile, &v)
			if err != nil {
				return err
			}
			if !ok || !a.now().Before(v.Expiration) {
				return fmt.Errorf("the SAML role session of AWS profile %s has expired (or is not in kcc's store): log in again with `%s`", profile, a.reloginCommand(profile))
			}
			return printProcessCredentials(a.stdout, v)
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "", "the kcc-saml-… AWS `profile` whose session to print")
	return cmd
}

// reloginCommand is `kcc-connect to ID` for the newest history entry with
// the profile, else the use command that logs in.
func (a *app) reloginCommand(profile string) string {
	if store, err := a.historyStore(); err == nil {
		store.Warn = func(error) {}
		if f, err := store.Load(); err == nil {
			for _, e := range f.Entries {
				if e.Profile == profile {
					return name + " to " + e.ID
				}
			}
		}
	}
	return name + " use --idp-protocol saml …"
}

// printProcessCredentials writes credential_process's JSON (Version 1).
func printProcessCredentials(w io.Writer, v storedSession) error {
	_, err := fmt.Fprintf(w, "{\"Version\":1,\"AccessKeyId\":%q,\"SecretAccessKey\":%q,\"SessionToken\":%q,\"Expiration\":%q}\n",
		v.AccessKeyID, v.SecretAccessKey, v.SessionToken, v.Expiration.UTC().Format(time.RFC3339))
	return err
}

// samlRelogin readies `to` for an entry of a kcc-saml-… profile: its stored
// session when still valid, else a new login with the settings the profile
// keeps (the password asked again).
func (a *app) samlRelogin(ctx context.Context, profile, region string) error {
	store, err := a.openSecrets()
	if err != nil {
		return err
	}
	var v storedSession
	ok, err := store.Load(secretKind, profile, &v)
	store.Close()
	if err != nil {
		return err
	}
	if ok && a.now().Add(time.Minute).Before(v.Expiration) {
		return nil // the profile's credential_process serves it
	}
	b, err := os.ReadFile(awsConfigFile(a.getenv))
	if err != nil {
		return fmt.Errorf("could not read the AWS config file: %w", err)
	}
	get := func(key string) string {
		v, _ := awsini.ProfileValue(strings.NewReader(string(b)), profile, key)
		return v
	}
	a.saml.protocol = protocolSAML
	a.saml.endpoint, a.login.username, a.saml.roleARN, a.saml.assumeRoleARN = get(keyEndpoint), get(keyUsername), get(keyRoleARN), get(keyAssumeRole)
	if a.saml.endpoint == "" || a.login.username == "" || a.saml.roleARN == "" {
		return fmt.Errorf("AWS profile %s does not say how to log in again (%s, %s, %s): run %s use --idp-protocol saml …", profile, keyEndpoint, keyUsername, keyRoleARN, name)
	}
	if _, err := a.samlLogin(ctx, connect.Selection{Regions: []string{region}}); err != nil {
		return err
	}
	if a.saml.session.profile != profile {
		return fmt.Errorf("the login gave the role session of %s, not %s", a.saml.session.profile, profile)
	}
	return a.saveSAML()
}
