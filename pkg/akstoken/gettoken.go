// Package akstoken is kcc-aks get-token: a token for <server-id>/.default
// from azidentity, signed in as Azure kubelogin's --login says, for
// kcc-cache to keep.
package akstoken

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/IvMisticos/kube-credential-cache/pkg/akstoken/flags"
)

// Scope is the scope of a token for an Entra ID server application.
func Scope(serverID string) string { return serverID + "/.default" }

// GetToken signs in as o says and returns a token for o.ServerID. Its
// error is one line, with Entra ID's own reason when it refused.
func GetToken(ctx context.Context, o flags.Options, env Env) (azcore.AccessToken, error) {
	cred, err := credential(o, env)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{Scope(o.ServerID)}, TenantID: o.TenantID})
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("--login %s could not get a token for %s: %s", o.Login, o.ServerID, reason(err))
	}
	return tok, nil
}

// reason is an SDK error in one line: Entra ID's error_description when
// the response carries one (it never repeats a secret), else the SDK's
// first line.
func reason(err error) string {
	var failed *azidentity.AuthenticationFailedError
	if errors.As(err, &failed) && failed.RawResponse != nil && failed.RawResponse.Body != nil {
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		b, _ := io.ReadAll(io.LimitReader(failed.RawResponse.Body, 1<<16))
		if json.Unmarshal(b, &body) == nil && body.Description != "" {
			return fmt.Sprintf("Entra ID says %s: %s", body.Error, firstLine(body.Description))
		}
		return fmt.Sprintf("Entra ID answered %s", failed.RawResponse.Status)
	}
	return firstLine(err.Error())
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
