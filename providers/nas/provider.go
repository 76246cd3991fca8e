package nas

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// Config is one NAS.
type Config struct {
	// Name is the NAS's name in the state ("office"), its target.
	Name string
	// Dial connects to the NAS: the CLI builds remote.DialSSH with the
	// pinned host key, or a remote.Local for the sandbox. Each
	// ObserveResources and ApplyResources call dials once and closes the
	// connection when done.
	Dial func(ctx context.Context) (remote.Transport, error)
	// Thresholds decide which metrics are findings.
	Thresholds metrics.Thresholds
	// Reload, when set, stands in for running a reload command on the
	// NAS (the sandbox records it: its fake NAS's commands would run on
	// the machine running itlag).
	Reload func(ctx context.Context, cmd string) (remote.Result, error)
}

// Provider reaches the NASes of one state, each a target named as in the
// state.
type Provider struct {
	targets map[string]Config
}

var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.ResourceProvider = (*Provider)(nil)
)

// New returns a provider for targets, keyed by NAS name. A Config's empty
// Name is taken from its key.
func New(targets map[string]Config) *Provider {
	p := &Provider{targets: make(map[string]Config, len(targets))}
	for name, c := range targets {
		if c.Name == "" {
			c.Name = name
		}
		p.targets[name] = c
	}
	return p
}

// Name is "nas".
func (p *Provider) Name() string { return "nas" }

// source names a target in findings: "nas:office".
func source(target string) string { return "nas:" + target }

// connect dials target once.
func (p *Provider) connect(ctx context.Context, target string) (remote.Transport, error) {
	c, ok := p.targets[target]
	if !ok {
		return nil, fmt.Errorf("nas %s: no such NAS configured (have: %s)", target, strings.Join(slices.Sorted(maps.Keys(p.targets)), ", "))
	}
	if c.Dial == nil {
		return nil, fmt.Errorf("nas %s: no way to connect configured (Dial is nil)", target)
	}
	t, err := c.Dial(ctx)
	if err != nil {
		return nil, fmt.Errorf("nas %s: connect: %w", target, classify(err))
	}
	return t, nil
}

// classify makes an error from package remote also wrap the engine's
// sentinel for the same condition (providers.ErrUnreachable,
// providers.ErrHostKeyMismatch), so that the engine turns it into the
// right finding.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, remote.ErrHostKeyMismatch) && !errors.Is(err, providers.ErrHostKeyMismatch):
		return kindError{err, providers.ErrHostKeyMismatch}
	case errors.Is(err, remote.ErrUnreachable) && !errors.Is(err, providers.ErrUnreachable):
		return kindError{err, providers.ErrUnreachable}
	}
	return err
}

// kindError is err, also wrapping kind; its message is err's.
type kindError struct{ err, kind error }

func (e kindError) Error() string   { return e.err.Error() }
func (e kindError) Unwrap() []error { return []error{e.err, e.kind} }
