package backend

import "github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"

// What the store tests share (keyringtest), by the names they use.
var (
	newRecord  = keyringtest.NewRecord
	sameRecord = keyringtest.SameRecord
)
