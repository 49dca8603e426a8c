package deps

// A budget is what a binary may link besides the standard library and this
// module: import-path prefixes, for every OS and per OS. Anything else
// fails the test; a banned prefix says why.
type budget struct {
	all   []string
	perOS map[string][]string
}

// budgets: one per directory under cmd/ (docs/design.md §10).
var budgets = map[string]budget{
	// kcc-cache runs on every kubectl call: a hit is a whole process start,
	// so it links small init-free packages and its OS's secret-store client.
	"kcc-cache": {
		// On Linux nothing else: its own environment parser (envconfig's
		// regular expressions cost every call their init) and its own
		// Secret Service client over D-Bus, dialled on use (99designs/keyring
		// dials D-Bus in init, godbus links net: docs/design.md §2–§3).
		all: []string{
			"github.com/gofrs/flock",
			"golang.org/x/sys/",
		},
		perOS: map[string][]string{
			// 99designs/keyring's Keychain backend (cgo) and what the
			// package links on every OS.
			"darwin": {
				"github.com/99designs/keyring", "github.com/99designs/go-keychain",
				"github.com/dvsekhvalnov/jose2go", "github.com/mtibben/percent", "golang.org/x/term",
			},
			"windows": {
				"github.com/99designs/keyring", "github.com/danieljoos/wincred",
				"github.com/dvsekhvalnov/jose2go", "github.com/mtibben/percent", "golang.org/x/term",
			},
		},
	},
	// kcc-eks runs on a cache miss: the AWS SDK, never client-go or YAML;
	// its flags are parsed by hand (Go flag syntax, as eks-auth), no pflag.
	"kcc-eks": {
		all: []string{
			"github.com/aws/aws-sdk-go-v2",
			"github.com/aws/smithy-go",
			"golang.org/x/term", // an MFA prompt
			"golang.org/x/sys/",
		},
	},
	// kcc-oidc runs on a cache miss: go-oidc (with go-jose) verifies the
	// id_tokens, x/oauth2 runs the grants, kcc's backend keeps the tokens;
	// never client-go or the AWS SDK.
	"kcc-oidc": {
		all: []string{
			"github.com/coreos/go-oidc/v3",
			"github.com/go-jose/go-jose/v4",
			"golang.org/x/oauth2",
			"github.com/spf13/pflag",
			"golang.org/x/term", // the password prompt
			"golang.org/x/sys/",
			"github.com/gofrs/flock",
		},
		perOS: map[string][]string{
			// pkg/backend's secret-store clients, as for kcc-cache.
			"darwin": {
				"github.com/99designs/keyring", "github.com/99designs/go-keychain",
				"github.com/dvsekhvalnov/jose2go", "github.com/mtibben/percent",
			},
			"windows": {
				"github.com/99designs/keyring", "github.com/danieljoos/wincred",
				"github.com/dvsekhvalnov/jose2go", "github.com/mtibben/percent",
			},
		},
	},
	// kcc-aks runs on a cache miss: azidentity (with azcore and MSAL) gets
	// the Entra ID token; never client-go or the AWS SDK.
	"kcc-aks": {
		all: []string{
			"github.com/Azure/azure-sdk-for-go/sdk/",
			"github.com/AzureAD/microsoft-authentication-library-for-go/",
			"github.com/golang-jwt/jwt/v5",
			"github.com/google/uuid",
			"github.com/kylelemons/godebug/",
			"github.com/pkg/browser", // the interactive login
			"github.com/spf13/pflag",
			"github.com/gofrs/flock", // pkg/cache, for the ExecCredential
			"golang.org/x/crypto/pkcs12",
			"golang.org/x/net/",
			"golang.org/x/sync/singleflight",
			"golang.org/x/text/",
			"golang.org/x/term",
			"golang.org/x/sys/",
		},
	},
	// kcc-injector edits kubeconfigs node by node.
	"kcc-injector": {
		all: []string{
			"gopkg.in/yaml.v3",
			"github.com/spf13/pflag",
			"github.com/gofrs/flock",
		},
	},
	// kcc-connect discovers clusters and merges kubeconfigs: the SDK,
	// cobra, YAML, a terminal picker; never client-go.
	"kcc-connect": {
		all: []string{
			"github.com/aws/aws-sdk-go-v2",
			"github.com/aws/smithy-go",
			"github.com/spf13/cobra",
			"github.com/spf13/pflag",
			"gopkg.in/yaml.v3",
			"golang.org/x/term",
			"golang.org/x/sys/",
			"github.com/gofrs/flock",
			// The gke provider: Google's API client (google.golang.org/api,
			// as issue 21 asks) and what it links — its auth, gRPC and
			// protobuf, OpenTelemetry instrumentation. kcc-connect runs
			// once per discovery, not per kubectl call.
			"google.golang.org/api/",
			"google.golang.org/genproto/",
			"google.golang.org/grpc",
			"google.golang.org/protobuf/",
			"cloud.google.com/go/auth",
			"cloud.google.com/go/compute/metadata",
			"github.com/google/s2a-go",
			"github.com/google/uuid",
			"github.com/googleapis/enterprise-certificate-proxy",
			"github.com/googleapis/gax-go/",
			"github.com/cespare/xxhash/",
			"github.com/felixge/httpsnoop",
			"github.com/go-logr/",
			"go.opentelemetry.io/",
			"golang.org/x/crypto/",
			"golang.org/x/net/",
			"golang.org/x/oauth2",
			"golang.org/x/text/",
			// The aks provider: the Azure SDK for Go (azcore, azidentity,
			// armsubscriptions, armcontainerservice, as issue 20 asks) and
			// what azidentity links — MSAL, golang-jwt, godebug (MSAL's
			// diff), pkg/browser (interactive login).
			"github.com/Azure/azure-sdk-for-go/sdk/",
			"github.com/AzureAD/microsoft-authentication-library-for-go/",
			"github.com/golang-jwt/jwt/",
			"github.com/kylelemons/godebug/",
			"github.com/pkg/browser",
			"golang.org/x/sync/singleflight", // MSAL
		},
		perOS: map[string][]string{
			// pkg/backend's secret-store clients, as for kcc-cache: kcc's
			// store keeps SAML role sessions and Rancher tokens
			// (pkg/connect/secrets).
			"darwin": {
				"github.com/99designs/keyring", "github.com/99designs/go-keychain",
				"github.com/dvsekhvalnov/jose2go", "github.com/mtibben/percent",
			},
			"windows": {
				"github.com/inconshreveable/mousetrap", // cobra's "run from Explorer" check
				"github.com/99designs/keyring", "github.com/danieljoos/wincred",
				"github.com/dvsekhvalnov/jose2go", "github.com/mtibben/percent",
			},
		},
	},
}

// banned names the packages no budget should ever admit, with the reason
// the failure message gives.
var banned = []struct{ prefix, why string }{
	{"k8s.io/", "client-go and apimachinery: ~120 package inits, +10 ms per start (docs/design.md §2); tests decode with it, binaries do not"},
	{"sigs.k8s.io/", "Kubernetes helper modules pull in apimachinery (docs/design.md §2)"},
	{"go.yaml.in/", "a second YAML library; kcc-injector and kcc-connect use gopkg.in/yaml.v3"},
	{"github.com/aws/aws-sdk-go/", "AWS SDK v1; kcc-eks and kcc-connect use aws-sdk-go-v2"},
}
