package backend

import (
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/secretservice"
)

// What the Secret Service tests share (keyringtest), by the names they use.
const hangGuard = keyringtest.HangGuard

var (
	requireKeyring        = keyringtest.Require
	newKey                = keyringtest.NewKey
	secretTool            = keyringtest.SecretTool
	silentSocket          = keyringtest.SilentSocket
	privateBus            = keyringtest.PrivateBus
	privateKeyring        = keyringtest.PrivateKeyring
	lockDefaultCollection = keyringtest.LockDefaultCollection
)

// The Secret Service's names, for the tests that set a service up.
const (
	attrService = "kube-credential-cache"
	ssBus       = secretservice.BusName
)
