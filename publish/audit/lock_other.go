//go:build !unix

package audit

import (
	"context"
	"errors"
)

func lockDir(context.Context, string) (func(), error) {
	return nil, errors.New("appending to the audit trail needs flock(2), which this platform lacks")
}
