package aks

import (
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Token plugins of an Entra ID cluster's user (--exec).
const (
	PluginKccAKS    = contract.AKSCommand            // kcc-aks get-token (the default)
	PluginKubelogin = contract.AzureKubeloginCommand // Azure kubelogin's get-token
)

// Exec is the user's get-token command line: kcc-aks (or Azure kubelogin)
// with the server, client and tenant of the cluster's credential, the
// cloud, and --login (the kcc-connect --login, else devicecode as AKS
// writes). What each login mode needs beyond that (a service principal's
// id and secret, a federated token file) the plugin reads from the
// environment Azure kubelogin reads, so no secret is in the kubeconfig.
func (p *Provider) Exec(c connect.Cluster, plugin string) (connect.Exec, error) {
	if plugin != "" && plugin != PluginKccAKS && plugin != PluginKubelogin {
		return connect.Exec{}, fmt.Errorf("unknown exec plugin %q for AKS clusters (want %s or %s)", plugin, PluginKccAKS, PluginKubelogin)
	}
	if c.ServerID == "" {
		return connect.Exec{}, fmt.Errorf("cluster %s: its credential names no Entra ID server application", c.ID)
	}
	login := p.opts.Login
	if login == "" {
		login = contract.AKSLoginDeviceCode
	}
	env := p.opts.Environment
	if env == "" {
		env = azureenv.Public
	}
	b := contract.AKS{Environment: env, ServerID: c.ServerID, Login: login}
	switch login {
	case contract.AKSLoginDeviceCode, contract.AKSLoginInteractive:
		b.ClientID, b.TenantID = c.ClientID, c.Tenant
	case contract.AKSLoginSPN:
		b.TenantID = c.Tenant
	}
	cmd := b.Command()
	hint := "kcc-aks is not installed: see https://github.com/IvMisticos/kube-credential-cache#install"
	if plugin == PluginKubelogin {
		cmd = contract.AzureKubeloginCommand
		hint = "kubelogin is not installed which is required to connect to AAD enabled cluster.\nTo learn more, please go to https://aka.ms/aks/kubelogin"
	}
	return connect.Exec{
		APIVersion:  execcred.APIVersionV1beta1,
		Command:     cmd,
		Args:        b.Args(),
		InstallHint: hint,
	}, nil
}
