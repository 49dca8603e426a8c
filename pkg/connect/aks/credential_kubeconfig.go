package aks

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// credentialConfig is the part of the kubeconfig AKS's credential actions
// return that the entry is made from.
type credentialConfig struct {
	CurrentContext string `yaml:"current-context"`
	Clusters       []struct {
		Name    string `yaml:"name"`
		Cluster struct {
			Server string `yaml:"server"`
			CAData string `yaml:"certificate-authority-data"`
		} `yaml:"cluster"`
	} `yaml:"clusters"`
	Contexts []struct {
		Name    string `yaml:"name"`
		Context struct {
			Cluster string `yaml:"cluster"`
			User    string `yaml:"user"`
		} `yaml:"context"`
	} `yaml:"contexts"`
	Users []struct {
		Name string `yaml:"name"`
		User struct {
			ClientCertData string `yaml:"client-certificate-data"`
			ClientKeyData  string `yaml:"client-key-data"`
			AuthProvider   *struct {
				Name   string            `yaml:"name"`
				Config map[string]string `yaml:"config"`
			} `yaml:"auth-provider"`
			Exec *struct {
				Command string   `yaml:"command"`
				Args    []string `yaml:"args"`
			} `yaml:"exec"`
		} `yaml:"user"`
	} `yaml:"users"`
}

// credential is what a credential kubeconfig says: the server and CA, and
// either the Entra ID application its users get tokens for (aad) or a
// local account's client certificate.
type credential struct {
	server, ca                 string
	aad                        bool
	serverID, clientID, tenant string
	clientCert, clientKey      string
}

// parseCredential reads the kubeconfig of a credential action. Its errors
// never quote the file, which holds a private key.
func parseCredential(b []byte) (credential, error) {
	var kc credentialConfig
	if err := yaml.Unmarshal(b, &kc); err != nil {
		return credential{}, errors.New("is not a kubeconfig (not YAML)")
	}
	if len(kc.Clusters) == 0 || len(kc.Users) == 0 {
		return credential{}, errors.New("is not a kubeconfig with a cluster and a user")
	}
	// The current context's cluster and user, else the first ones.
	ci, ui := 0, 0
	for _, c := range kc.Contexts {
		if c.Name != kc.CurrentContext {
			continue
		}
		for i, cl := range kc.Clusters {
			if cl.Name == c.Context.Cluster {
				ci = i
			}
		}
		for i, u := range kc.Users {
			if u.Name == c.Context.User {
				ui = i
			}
		}
	}
	cl, u := kc.Clusters[ci].Cluster, kc.Users[ui].User
	var out credential
	s, err := url.Parse(cl.Server)
	if err != nil || s.Scheme != "https" || s.Host == "" {
		return credential{}, errors.New("has no https server")
	}
	out.server = cl.Server
	if cl.CAData != "" {
		if !isPEM(cl.CAData, "CERTIFICATE") {
			return credential{}, errors.New("has a certificate-authority-data that is not a base64 PEM certificate")
		}
		out.ca = cl.CAData
	}
	switch {
	case u.Exec != nil:
		out.aad = true
		out.serverID = flagValue(u.Exec.Args, "server-id")
		out.clientID = flagValue(u.Exec.Args, "client-id")
		out.tenant = flagValue(u.Exec.Args, "tenant-id")
	case u.AuthProvider != nil && u.AuthProvider.Name == "azure":
		out.aad = true
		out.serverID = u.AuthProvider.Config["apiserver-id"]
		out.clientID = u.AuthProvider.Config["client-id"]
		out.tenant = u.AuthProvider.Config["tenant-id"]
	case u.ClientCertData != "":
		if !isPEM(u.ClientCertData, "CERTIFICATE") || u.ClientKeyData == "" || !isPEM(u.ClientKeyData, "") {
			return credential{}, errors.New("has a client certificate or key that is not base64 PEM")
		}
		out.clientCert, out.clientKey = u.ClientCertData, u.ClientKeyData
		return out, nil
	default:
		return credential{}, errors.New("has a user with neither an Entra ID login nor a client certificate")
	}
	if out.serverID == "" {
		return credential{}, errors.New("names no Entra ID server application (--server-id, apiserver-id)")
	}
	return out, nil
}

// isPEM reports whether s is base64 of PEM holding a block of the type
// (any type when typ is empty) that parses, for certificates.
func isPEM(s, typ string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	blk, _ := pem.Decode(b)
	if blk == nil || (typ != "" && blk.Type != typ) {
		return false
	}
	if blk.Type == "CERTIFICATE" {
		_, err := x509.ParseCertificate(blk.Bytes)
		return err == nil
	}
	return true
}

// flagValue is the value of --name (--name value or --name=value) in args.
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == "--"+name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}
