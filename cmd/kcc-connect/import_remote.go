package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
)

// remoteKeys says, for every key a defaults file can set, whether a file
// fetched from a URL may set it unseen (true) or only once the user has
// seen the value and said yes on a terminal (false), and why. A key that
// writes a file, chooses a URL or chooses the identity tokens are made
// with is asked about: a team file, or whoever changed it on the server,
// must not be able to move the user's kubeconfig, log or history, point the
// version check elsewhere or switch roles behind the user's back. A local
// file the user names is their own choice and is imported as it is.
// TestRemoteKeysClassifyEveryKey keeps this in step with the flags.
var remoteKeys = map[string]struct {
	unseen bool
	why    string
}{
	"kubeconfig":        {false, "the kubeconfig file use and to write"},
	"history-file":      {false, "a file every use writes"},
	"log-file":          {false, "a file every command appends its log to"},
	"version-check-url": {false, "the URL the version notice asks, and the link it prints"},
	"role-arn":          {false, "the IAM role the tokens are made with"},
	"config-url":        {false, "the URL or file the oidc clusters, their servers and issuers come from"},
	"cluster-url":       {false, "the API server kubectl sends the tokens to"},
	"cluster-ca-data":   {false, "the CA the API server is trusted by"},
	"cluster-ca":        {false, "a file holding the CA the API server is trusted by"},
	"issuer-url":        {false, "the OpenID provider users log in to"},
	"client-id":         {false, "the OAuth client users log in as"},
	"idp-endpoint":      {false, "the identity provider the SAML password is typed into"},
	"username":          {false, "the user name sent to the SAML identity provider or Rancher"},
	"assume-role-arn":   {false, "the IAM role chained after the SAML role"},
	"api-endpoint":      {false, "the Rancher server passwords and tokens are sent to"},
	"auth-provider":     {false, "how users log in to Rancher (which directory checks the password)"},
	"plaintext-token":   {false, "Rancher's token written into the kubeconfig instead of kcc's store"},

	"profile":           {true, "which of the user's own AWS profiles are scanned"},
	"all-profiles":      {true, "scan every profile the user has"},
	"region":            {true, "regions scanned"},
	"all-regions":       {true, "scan every enabled region"},
	"all":               {true, "use writes every cluster found, into the chosen kubeconfig"},
	"alias":             {true, "context name; a name another context has is refused"},
	"context-template":  {true, "context names; a name another context has is refused"},
	"set-current":       {true, "use switches current-context to the entry it writes"},
	"exec":              {true, "kcc-eks or aws, both the user's own programs"},
	"no-cache":          {true, "no caching: slower, nothing more stored or sent"},
	"no-version-check":  {true, "no notice; version --check still works"},
	"check":             {true, "version asks the (guarded) feed URL"},
	"history-limit":     {true, "how many entries the history keeps"},
	"provider":          {true, "eks, oidc, gke, aks, rancher or all: which kind of clusters is looked for"},
	"cluster-id":        {true, "the kubeconfig name of the one cluster given by flags"},
	"scopes":            {true, "extra scopes asked of the user's own OpenID provider"},
	"label":             {true, "which clusters of the list are kept"},
	"project":           {true, "which Google Cloud projects are listed, with the user's own credentials"},
	"all-projects":      {true, "list every project the user's own credentials see"},
	"internal-ip":       {true, "the kubeconfig gets the cluster's own private endpoint"},
	"dns-endpoint":      {true, "the kubeconfig gets the cluster's own DNS endpoint"},
	"idp-protocol":      {true, "log in at the (guarded) identity provider with SAML"},
	"password-stdin":    {true, "the SAML or Rancher password is read from stdin"},
	"role-filter":       {true, "which of the assertion's roles are offered"},
	"session-duration":  {true, "how long the SAML role session asks to last"},
	"subscription-id":   {true, "which Azure subscriptions are listed, with the user's own identity"},
	"subscription-name": {true, "which Azure subscriptions are listed, with the user's own identity"},
	"resource-group":    {true, "which resource group of each subscription is listed"},
	"server-fqdn-type":  {true, "which of the cluster's own servers the kubeconfig gets"},
	"admin":             {true, "the kubeconfig gets the cluster's admin credential, if the user's own identity may read it"},
	"login":             {false, "how the user signs in to Entra ID (discovery and kubeconfig users)"},
	"environment":       {false, "the Azure cloud tokens are asked of and sent to"},
	"tenant-id":         {false, "the Entra ID tenant signed in to"},
	"output":            {true, "table, json or yaml"},
	"ace":               {true, "which of Rancher's contexts becomes current"},
	"verbose":           {true, "log level; logs carry no secrets"},
	"request-timeout":   {true, "bound on each AWS request"},
	"max-retries":       {true, "retries per AWS request"},
}

// askedAlways is every key a file from a URL may not set unseen, sorted.
func askedAlways() []string {
	var keys []string
	for k, c := range remoteKeys {
		if !c.unseen {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// askedKeys are the keys of s that a file from a URL may not set unseen,
// sorted. A key missing from remoteKeys is asked about too.
func askedKeys(s *settings.Settings) []string {
	var keys []string
	for _, k := range s.Keys() {
		if c, ok := remoteKeys[k]; !ok || !c.unseen {
			keys = append(keys, k)
		}
	}
	return keys
}

// confirmRemote shows the keys of s a file from a URL may not set unseen
// and asks the user on their terminal; it returns nil only on yes. Without
// a terminal it refuses, naming the keys.
func (a *app) confirmRemote(shown string, s *settings.Settings) error {
	keys := askedKeys(s)
	if len(keys) == 0 {
		return nil
	}
	in, out, done, ok := a.promptTerminal()
	if !ok {
		return fmt.Errorf("%s sets %s, which a file from a URL may only set after you confirm on a terminal; nothing imported", shown, strings.Join(keys, ", "))
	}
	defer done()
	fmt.Fprintf(out, "kcc-connect: %s sets:\n", shown)
	for _, k := range keys {
		vals, _ := s.Get(k)
		why := "an unclassified key"
		if c, ok := remoteKeys[k]; ok {
			why = c.why
		}
		fmt.Fprintf(out, "  %s=%s   (%s)\n", k, termtext.Clean(strings.Join(vals, ",")), why)
	}
	fmt.Fprint(out, "Import these? [y/N] ")
	answer, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("%s: not confirmed (%s); nothing imported", shown, strings.Join(keys, ", "))
}

// promptTerminal is where a question goes and its answer comes from: stdin
// (asking on stderr) when it is a terminal, else the process's terminal
// (/dev/tty); ok is false when there is none.
func (a *app) promptTerminal() (in io.Reader, out io.Writer, done func(), ok bool) {
	if a.terminal(a.stdin) {
		return a.stdin, a.stderr, func() {}, true
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, nil, false
	}
	if !a.terminal(tty) {
		tty.Close()
		return nil, nil, nil, false
	}
	return tty, tty, func() { tty.Close() }, true
}
