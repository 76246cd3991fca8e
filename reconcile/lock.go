package reconcile

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lagrieta/itlag/store/safefile"
)

// ErrLocked is wrapped by Lock when another apply holds the state's lock.
var ErrLocked = errors.New("state is locked by another apply")

// LockFile is the lock's file name inside the state directory.
const LockFile = ".itlag.lock"

// lockPoll is how often a waiting Lock retries.
const lockPoll = 50 * time.Millisecond

// holder is what the lock file records about who holds it.
type holder struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Since time.Time `json:"since"`
}

func (h holder) String() string {
	if h.PID == 0 {
		return "an unknown process"
	}
	return fmt.Sprintf("pid %d on %s since %s", h.PID, h.Host, h.Since.Format(time.RFC3339))
}

// Lock takes an exclusive lock on dir/.itlag.lock, so that one apply runs at
// a time per state directory. The lock is an flock(2) on the file, which the
// kernel drops when its holder exits, so a crashed apply never leaves a stale
// lock; the file records the holder's pid, host and start time. With timeout
// 0 Lock fails at once when the lock is held; otherwise it waits up to
// timeout. Its error then wraps ErrLocked and says who holds the lock. The
// returned func releases it.
//
// The lock file is opened without following a symlink and without
// truncating it, and must be a regular file with one link: a lock file
// committed as a symlink (or planted as a hard link) to a file the runner
// can write is refused, never emptied.
func Lock(dir string, timeout time.Duration) (unlock func() error, err error) {
	path := filepath.Join(dir, LockFile)
	f, err := safefile.OpenFile(dir, LockFile, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	deadline := time.Now().Add(timeout)
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		if timeout <= 0 || !time.Now().Before(deadline) {
			h := readHolder(f)
			f.Close()
			if timeout <= 0 {
				return nil, fmt.Errorf("%w: held by %s (%s); wait for it to finish or retry with --lock-timeout to wait", ErrLocked, h, path)
			}
			return nil, fmt.Errorf("%w: held by %s (%s); still held after %s, raise --lock-timeout to wait longer", ErrLocked, h, path, timeout)
		}
		time.Sleep(min(lockPoll, time.Until(deadline)))
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(holder{PID: os.Getpid(), Host: host, Since: time.Now().UTC().Truncate(time.Second)})
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(b, '\n'), 0)
	}
	unlock = func() error {
		_ = f.Truncate(0)
		err := unlockFile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("unlock %s: %w", path, err)
		}
		return nil
	}
	return unlock, nil
}

// readHolder reads who holds the lock from the open lock file.
func readHolder(f *os.File) holder {
	var h holder
	b := make([]byte, 4096)
	n, _ := f.ReadAt(b, 0)
	_ = json.Unmarshal([]byte(strings.TrimSpace(string(b[:n]))), &h)
	return h
}
