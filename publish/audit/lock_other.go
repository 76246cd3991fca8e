//go:build !unix

package audit

import (
	"context"
	"errors"
)

// noFollow: this platform has no O_NOFOLLOW; safeDir still refuses a
// symlinked directory.
const noFollow = 0

func lockDir(context.Context, string) (func(), error) {
	return nil, errors.New("appending to the audit trail needs flock(2), which this platform lacks")
}
