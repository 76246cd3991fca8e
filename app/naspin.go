package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers/nas/remote"
	"github.com/lagrieta/itlag/publish/audit"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store/safefile"
)

// The pin's standing against what the state holds.
const (
	PinNew      = "new"      // the state's host_key is pending
	PinMatches  = "matches"  // the state already pins this key
	PinMismatch = "mismatch" // the state pins another key: possible MITM
)

// NASPin is a NAS's host key as read by ReadNASHostKey, and how it stands
// against the state.
type NASPin struct {
	NAS  string
	Addr string // host:port
	// Type is the key's algorithm ("ssh-ed25519"), Fingerprint its
	// "SHA256:…", Line the value written into the state.
	Type, Fingerprint, Line string
	// Standing is PinNew, PinMatches or PinMismatch; Pinned is the state's
	// current pin (for a mismatch).
	Standing, Pinned string
	// ConsoleCommand is what to run on the NAS's console to compare.
	ConsoleCommand string
}

// PinTimeout bounds the one connection ReadNASHostKey makes.
const PinTimeout = 10 * time.Second

// ReadNASHostKey connects once to the named NAS (host and port from the
// state) and reads the host key it presents: the handshake stops at the
// key, before authenticating; nothing runs there. Nothing is written.
func (rt *Runtime) ReadNASHostKey(ctx context.Context, name string) (*NASPin, error) {
	n, ok := rt.State.NAS[name]
	if !ok {
		return nil, fmt.Errorf("nas pin: no NAS named %q in the state", name)
	}
	if rt.Sandboxed() {
		return nil, fmt.Errorf("nas pin %s: under --sandbox the NAS is a directory, with no host key to pin; run it without --sandbox on the office network", name)
	}
	key, err := remote.ScanHostKey(ctx, n.Host, n.Port, PinTimeout)
	if err != nil {
		return nil, fmt.Errorf("nas pin %s: %w", name, err)
	}
	p := &NASPin{NAS: name, Addr: fmt.Sprintf("%s:%d", n.Host, n.Port), Type: key.Type(),
		Fingerprint: remote.Fingerprint(key), Line: remote.KeyLine(key), Standing: PinNew}
	p.ConsoleCommand = "ssh-keygen -lf /etc/ssh/ssh_host_" + strings.TrimPrefix(strings.TrimPrefix(key.Type(), "ssh-"), "ecdsa-sha2-nistp") + "_key.pub"
	if strings.HasPrefix(key.Type(), "ecdsa-") {
		p.ConsoleCommand = "ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub"
	}
	if !n.HostKeyIsPending() {
		pin, err := remote.ParsePin(n.HostKey)
		switch {
		case err == nil && pin.Matches(key):
			p.Standing = PinMatches
		case err == nil:
			p.Standing, p.Pinned = PinMismatch, pin.String()
		default:
			p.Standing, p.Pinned = PinMismatch, "an unreadable pin ("+err.Error()+")"
		}
	}
	return p, nil
}

// WriteNASPin writes p.Line as the NAS's host_key in the YAML file that
// declares it (only that value changes; comments and the rest of the file
// stay), and records the pin in the audit trail. It returns the file,
// relative to the state directory.
func (rt *Runtime) WriteNASPin(ctx context.Context, p *NASPin) (string, error) {
	dir := rt.Opts.StateDir
	for _, rel := range rt.State.Files {
		src, err := readStateFile(dir, rel)
		if err != nil {
			return "", fmt.Errorf("nas pin %s: %w", p.NAS, err)
		}
		out, err := schema.SetScalar(src, []string{"nas", p.NAS, "host_key"}, p.Line)
		if errors.Is(err, schema.ErrNoSuchField) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("nas pin %s: %s: %w", p.NAS, rel, err)
		}
		if err := safefile.WriteFile(dir, filepath.FromSlash(rel), out, 0o644); err != nil {
			return "", fmt.Errorf("nas pin %s: write %s: %w", p.NAS, rel, err)
		}
		_, err = rt.Audit(ctx, audit.Entry{Action: audit.ActionHostKeyPin, Target: "nas:" + p.NAS,
			Detail: audit.Detail{Files: []string{rel}, Addresses: []string{p.Type + " " + p.Fingerprint}}})
		if err != nil {
			return rel, fmt.Errorf("nas pin %s: written to %s, but the audit trail: %w", p.NAS, rel, err)
		}
		return rel, nil
	}
	return "", fmt.Errorf("nas pin %s: no file of the state declares nas.%s.host_key", p.NAS, p.NAS)
}

// readStateFile reads the state file rel as the loader does: never
// through a symlink (store/safefile), since its edit is written back.
func readStateFile(dir, rel string) ([]byte, error) {
	f, err := safefile.OpenFile(dir, filepath.FromSlash(rel), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
