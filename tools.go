//go:build tools

// Package tools pins modules that only tests, other issues' code or release
// tooling import, so that `go mod tidy` keeps them while those land.
package tools

import (
	_ "github.com/99designs/keyring"
	_ "github.com/godbus/dbus/v5"
	_ "github.com/gofrs/flock"
	_ "github.com/kelseyhightower/envconfig"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "gopkg.in/yaml.v3"
	_ "k8s.io/client-go/pkg/apis/clientauthentication/install"
	_ "k8s.io/client-go/tools/clientcmd"
)
