package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/schema"
)

// TestLoadContextAbandonsOnSignal: a signal (ctx cancelled) while the state
// is still loading returns at once, with the cause, instead of waiting for
// the loader.
func TestLoadContextAbandonsOnSignal(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	old := loadState
	loadState = func(context.Context, string, schema.LoadOptions) (*schema.State, error) {
		close(started)
		<-release // a state that takes forever to load
		return nil, errors.New("released")
	}
	defer func() { loadState = old }()

	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := LoadContext(ctx, Options{StateDir: "state"})
		done <- err
	}()
	<-started
	cancel(errors.New("terminated signal received"))
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "load state: terminated signal received") {
			t.Fatalf("LoadContext: %v, want the signal as the cause", err)
		}
	case <-time.After(time.Minute): // generous: it returns as soon as ctx ends
		t.Fatal("LoadContext still loading a minute after the signal")
	}
}
