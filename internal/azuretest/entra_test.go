package azuretest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
)

const serverID = "6dae42f8-4368-4678-94ff-3960e28e3630"

func options(t *testing.T, e *azuretest.Entra) azcore.ClientOptions {
	t.Setenv(azureenv.FileEnv, e.EnvironmentFile(t, ""))
	env, err := azureenv.Lookup(azureenv.Stack)
	if err != nil {
		t.Fatal(err)
	}
	return azcore.ClientOptions{Cloud: env.Cloud(), Transport: e.Client()}
}

// The real azidentity (MSAL) signs in to the stand-in with each grant it
// serves, and the tokens verify for the audience asked, and only for it.
func TestEntraWithAzidentity(t *testing.T) {
	e := azuretest.StartEntra(t)
	e.AddClient("spn", "s3cret")
	e.AddFederatedClient("wi", "the-assertion")
	e.AddPublicClient("public")
	opts := options(t, e)
	var prompted string
	for _, tc := range []struct {
		name string
		cred func() (azcore.TokenCredential, error)
	}{
		{"client secret", func() (azcore.TokenCredential, error) {
			return azidentity.NewClientSecretCredential(e.Tenant, "spn", "s3cret", &azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
		}},
		{"client assertion", func() (azcore.TokenCredential, error) {
			return azidentity.NewClientAssertionCredential(e.Tenant, "wi", func(context.Context) (string, error) { return "the-assertion", nil },
				&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
		}},
		{"device code", func() (azcore.TokenCredential, error) {
			return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true,
				TenantID: e.Tenant, ClientID: "public", UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
					prompted = m.Message
					return nil
				}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred, err := tc.cred()
			if err != nil {
				t.Fatal(err)
			}
			tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{serverID + "/.default"}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := e.Verify(tok.Token, serverID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Tenant != e.Tenant || !c.Expiry.Equal(tok.ExpiresOn.Truncate(1e9)) && c.Expiry.Sub(tok.ExpiresOn) > 2e9 {
				t.Errorf("claims %+v, token expires %v", c, tok.ExpiresOn)
			}
			if _, err := e.Verify(tok.Token, "https://management.azure.com"); err == nil {
				t.Error("a token for the server verifies for another audience")
			}
		})
	}
	if !strings.Contains(prompted, e.URL+"/devicelogin") {
		t.Errorf("device code message %q", prompted)
	}
}

// A wrong secret, an unknown client and a wrong assertion are refused,
// and the refusal does not repeat the secret.
func TestEntraRefuses(t *testing.T) {
	e := azuretest.StartEntra(t)
	e.AddClient("spn", "s3cret")
	e.AddFederatedClient("wi", "the-assertion")
	opts := options(t, e)
	for _, tc := range []struct{ name, id, secret, want string }{
		{"wrong secret", "spn", "wrong-secret", "AADSTS7000215"},
		{"unknown client", "nobody", "wrong-secret", "AADSTS700016"},
		{"assertion client with a secret", "wi", "wrong-secret", "AADSTS700213"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred, err := azidentity.NewClientSecretCredential(e.Tenant, tc.id, tc.secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{serverID + "/.default"}})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), tc.secret) {
				t.Fatalf("%v", err)
			}
		})
	}
}
