// Package remote is how itlag reaches a NAS: a Transport runs commands and
// reads and writes files. Two implementations: SSH (golang.org/x/crypto/ssh
// with the host key pinned, files over SFTP) for real hosts, and Local (a
// directory standing in for the NAS's root) for the sandbox and tests.
package remote

import (
	"context"
	"errors"
	"io/fs"
)

// ErrHostKeyMismatch is wrapped when a host presents a key other than the
// one pinned in the state. Nothing is sent to such a host.
var ErrHostKeyMismatch = errors.New("host key mismatch")

// ErrUnreachable is wrapped when the host cannot be reached (dial, timeout,
// handshake): the engine turns it into a finding, not a crash.
var ErrUnreachable = errors.New("host unreachable")

// Result is what a command printed and how it ended.
type Result struct {
	Stdout, Stderr []byte
	// ExitCode is the command's exit status (0 success).
	ExitCode int
}

// Transport reaches one host. Implementations are safe for concurrent use;
// SSH multiplexes sessions over one connection.
type Transport interface {
	// Run runs cmd with "sh -c" on the host, feeding stdin when not nil.
	// A non-zero exit is not an error: it is in Result.ExitCode.
	Run(ctx context.Context, cmd string, stdin []byte) (Result, error)

	// ReadFile returns a file's content and mode; a missing file is an
	// error wrapping fs.ErrNotExist. A path that is, or goes through, a
	// symbolic link, or lies under a directory others may write, is
	// refused with an error wrapping ErrUnsafePath (naming the component,
	// never the content).
	ReadFile(ctx context.Context, path string) ([]byte, fs.FileMode, error)

	// WriteFile replaces path atomically: it writes a temporary file in the
	// same directory, readable by no one else while it holds data, gives
	// it mode, then renames it over path. When path existed, its previous
	// content is kept as path + PrevSuffix. Paths are refused as ReadFile
	// refuses them: nothing is ever written through a link.
	WriteFile(ctx context.Context, path string, data []byte, mode fs.FileMode) error

	// Close ends the connection.
	Close() error
}

// PrevSuffix is appended to a file's path to keep its previous version.
const PrevSuffix = ".itlag-prev"
