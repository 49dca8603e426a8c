package backend

import "github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"

// What the store tests share (keyringtest), by the names they use.
const hangGuard = keyringtest.HangGuard

var (
	requireKeyring = keyringtest.Require
	newKey         = keyringtest.NewKey
	newRecord      = keyringtest.NewRecord
	sameRecord     = keyringtest.SameRecord
)
