package reconcile

import (
	"errors"
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
