package reconcile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Lock(dir, 0)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v", err)
	}
	for _, want := range []string{"pid ", "since ", "--lock-timeout"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := Lock(dir, 20*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("lock with a short timeout while held: %v", err)
	}

	got := make(chan error, 1)
	go func() {
		u, err := Lock(dir, 10*time.Second)
		if err == nil {
			err = u()
		}
		got <- err
	}()
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("waiting lock after release: %v", err)
	}
	u, err := Lock(dir, 0)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	u()
}

// A lock file committed as a symlink (or hard link) must not empty the
// file it points at: Lock refuses it and leaves the target alone.
func TestLockRefusesLinks(t *testing.T) {
	tests := []struct {
		name string
		link func(target, lock string) error
	}{
		{"symlink", os.Symlink},
		{"hard link", os.Link},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "state")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(root, "authorized_keys")
			if err := os.WriteFile(target, []byte("ssh-ed25519 AAAA keep\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := tt.link(target, filepath.Join(dir, LockFile)); err != nil {
				t.Fatal(err)
			}
			unlock, err := Lock(dir, 0)
			if err == nil {
				unlock()
				t.Fatal("Lock took a linked lock file")
			}
			if !strings.Contains(err.Error(), LockFile) {
				t.Errorf("error %q does not name the lock file", err)
			}
			if b, _ := os.ReadFile(target); string(b) != "ssh-ed25519 AAAA keep\n" {
				t.Errorf("the target was changed: %q", b)
			}
		})
	}
}
