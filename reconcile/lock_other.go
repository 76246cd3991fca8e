//go:build !unix

package reconcile

import (
	"errors"
	"os"
)

var errNoFlock = errors.New("locking needs flock(2), which this platform lacks")

func tryLock(*os.File) (bool, error) { return false, errNoFlock }

func unlockFile(*os.File) error { return errNoFlock }
