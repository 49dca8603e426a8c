package oidc

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

// ListCluster is one cluster of a cluster list, as its file spells it.
type ListCluster struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Server string `yaml:"server"`
	// CAData is the base64 PEM bundle of the API server's CA (kubeconfig's
	// certificate-authority-data); empty trusts the system's roots.
	CAData      string            `yaml:"caData"`
	IssuerURL   string            `yaml:"issuerUrl"`
	ClientID    string            `yaml:"clientId"`
	ExtraScopes []string          `yaml:"extraScopes"`
	Labels      map[string]string `yaml:"labels"`
}

// list is the file: {clusters: [...]}; a bare list is taken as well.
type list struct {
	Clusters []ListCluster `yaml:"clusters"`
}

// ParseList reads a cluster list (YAML, or JSON, which is YAML) and checks
// every cluster (Validate). Unknown keys are errors: a misspelt issuerUrl
// must not silently leave a cluster without one.
func ParseList(data []byte) ([]ListCluster, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not YAML or JSON: %s", firstLine(err))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, errors.New("empty: want a list of clusters")
	}
	var cs []ListCluster
	var err error
	switch root := doc.Content[0]; root.Kind {
	case yaml.SequenceNode:
		err = decodeStrict(data, &cs)
	case yaml.MappingNode:
		var l list
		err = decodeStrict(data, &l)
		cs = l.Clusters
	default:
		return nil, errors.New("want a list of clusters, or a map whose clusters key holds one")
	}
	if err != nil {
		return nil, fmt.Errorf("not a cluster list: %s", firstLine(err))
	}
	if len(cs) == 0 {
		return nil, errors.New("no clusters listed")
	}
	return cs, Validate(cs)
}

func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// Validate checks each cluster and that ids are unique. The error names
// the entry (its position and id) and the field, on one line.
func Validate(cs []ListCluster) error {
	seen := map[string]int{}
	for i, c := range cs {
		where := fmt.Sprintf("cluster %d", i+1)
		if c.ID != "" {
			where += fmt.Sprintf(" (%s)", termtext.Clean(c.ID))
		}
		if err := validate(c); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if j, ok := seen[c.ID]; ok {
			return fmt.Errorf("%s: id: the same as cluster %d's; ids must be unique", where, j+1)
		}
		seen[c.ID] = i
	}
	return nil
}

func validate(c ListCluster) error {
	switch {
	case c.ID == "":
		return errors.New("id: missing")
	case !termtext.Printable(c.ID) || strings.ContainsAny(c.ID, " \t"):
		return errors.New("id: has spaces or control characters")
	case !termtext.Printable(c.Name):
		return errors.New("name: has control characters")
	}
	if err := httpsURL(c.Server); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if err := issuerURL(c.IssuerURL); err != nil {
		return fmt.Errorf("issuerUrl: %w", err)
	}
	if c.ClientID == "" {
		return errors.New("clientId: missing")
	}
	if c.CAData != "" {
		if err := pemBundle(c.CAData); err != nil {
			return fmt.Errorf("caData: %w", err)
		}
	}
	for _, s := range c.ExtraScopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			return fmt.Errorf("extraScopes: %q is not one scope", termtext.Clean(s))
		}
	}
	for k, v := range c.Labels {
		if k == "" || strings.Contains(k, "=") || !termtext.Printable(k) || !termtext.Printable(v) {
			return fmt.Errorf("labels: %q is not a label key", termtext.Clean(k))
		}
	}
	return nil
}

// httpsURL accepts an absolute https:// URL with a host.
func httpsURL(s string) error {
	if s == "" {
		return errors.New("missing")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL", termtext.Clean(s))
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%q: want https://", termtext.Clean(s))
	}
	if u.User != nil {
		return errors.New("has user info; a URL here carries no credential")
	}
	return nil
}

// issuerURL accepts https://, or http:// to a loopback host, by kcc-oidc's
// own rule (flags.IsLoopback), so that a listed cluster's user can log in.
func issuerURL(s string) error {
	if s == "" {
		return errors.New("missing")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL", termtext.Clean(s))
	}
	if u.User != nil {
		return errors.New("has user info; a URL here carries no credential")
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && flags.IsLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%q: want https:// (http:// only to localhost)", termtext.Clean(s))
}

// pemBundle accepts base64 of one or more PEM certificates.
func pemBundle(b64 string) error {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return errors.New("not base64")
	}
	n := 0
	for {
		var block *pem.Block
		block, der = pem.Decode(der)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return fmt.Errorf("holds a %q PEM block, want CERTIFICATE", termtext.Clean(block.Type))
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return errors.New("a certificate does not parse")
		}
		n++
	}
	if n == 0 || len(bytes.TrimSpace(der)) > 0 {
		return errors.New("not a PEM bundle of certificates")
	}
	return nil
}

// firstLine is err's message on one line (yaml.v3 lists every problem on
// its own line).
func firstLine(err error) string {
	var parts []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return termtext.Clean(strings.TrimPrefix(strings.Join(parts, " "), "yaml: "))
}
