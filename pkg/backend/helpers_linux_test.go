package backend

import (
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// The Secret Service's names, for the tests that set a service up.
const (
	attrService = "kube-credential-cache"
	ssBus       = secretservice.BusName
)
