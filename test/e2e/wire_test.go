//go:build unix

package e2e

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/pkg/apis/clientauthentication"
	"k8s.io/client-go/pkg/apis/clientauthentication/install"
)

// wireScheme is client-go's own clientauthentication scheme, set up the way
// client-go's exec authenticator sets it up.
var (
	wireScheme = func() *runtime.Scheme {
		s := runtime.NewScheme()
		install.Install(s)
		return s
	}()
	wireCodecs  = serializer.NewCodecFactory(wireScheme)
	strictCodec = serializer.NewCodecFactory(wireScheme, serializer.EnableStrict)
)

// decodeCredential decodes kcc-cache's stdout exactly as client-go's exec
// authenticator does for a plugin configured with apiVersion ("v1" or
// "v1beta1"), applies client-go's checks, and on top of that requires one
// JSON document with no unknown or duplicate fields.
func decodeCredential(stdout []byte, apiVersion string) (*clientauthentication.ExecCredential, error) {
	gv := schema.GroupVersion{Group: "client.authentication.k8s.io", Version: apiVersion}
	cred := &clientauthentication.ExecCredential{}
	_, gvk, err := wireCodecs.UniversalDecoder(gv).Decode(stdout, nil, cred)
	if err != nil {
		return nil, fmt.Errorf("client-go cannot decode %q: %w", stdout, err)
	}
	if gvk.Group != gv.Group || gvk.Version != gv.Version {
		return nil, fmt.Errorf("asked for %s, got %s", gv, gvk.GroupVersion())
	}
	if _, _, err := strictCodec.UniversalDeserializer().Decode(stdout, nil, nil); err != nil {
		return nil, fmt.Errorf("strict decoding of %q: %w", stdout, err)
	}
	dec := json.NewDecoder(bytes.NewReader(stdout))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("stdout holds more than one JSON document: %q", stdout)
	}
	st := cred.Status
	switch {
	case st == nil:
		return nil, fmt.Errorf("no status in %q", stdout)
	case st.Token == "" && st.ClientCertificateData == "":
		return nil, fmt.Errorf("neither token nor certificate in %q", stdout)
	case (st.ClientCertificateData == "") != (st.ClientKeyData == ""):
		return nil, fmt.Errorf("certificate without key or key without certificate in %q", stdout)
	case st.ClientCertificateData != "":
		if _, err := tls.X509KeyPair([]byte(st.ClientCertificateData), []byte(st.ClientKeyData)); err != nil {
			return nil, fmt.Errorf("client-go cannot load the key pair: %w", err)
		}
	}
	return cred, nil
}
