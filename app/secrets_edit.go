package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Editor edits the decrypted document of a secrets file. Contract: Edit
// gets the current plaintext (empty for a new file) and returns the new
// one; it never writes plaintext to persistent storage, and leaves nothing
// behind when it returns, whether it succeeds or not.
type Editor interface {
	Edit(ctx context.Context, file string, plaintext []byte) ([]byte, error)
}

// ReaderEditor takes the new document from R (a pipe: "itlag secrets edit
// FILE < new.yaml"), ignoring the current one.
type ReaderEditor struct{ R io.Reader }

// Edit reads the whole new document.
func (e ReaderEditor) Edit(_ context.Context, _ string, _ []byte) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(e.R, 1<<20+1))
	if err != nil {
		return nil, fmt.Errorf("read stdin: %w", err)
	}
	if len(b) > 1<<20 {
		return nil, errors.New("stdin: larger than 1 MiB")
	}
	return b, nil
}

// CommandEditor runs the user's editor ($EDITOR, run by sh like git does,
// so "code --wait" works) on the plaintext, held in a private 0700
// directory on a memory-backed file system (tmpfs or ramfs): never on a
// disk. The directory, the editor's swap files included, is removed when
// the editor exits or the command is interrupted.
type CommandEditor struct {
	// Command is the editor command line.
	Command string
	// Dirs are where a private directory may be made, the first
	// memory-backed one wins; nil is $XDG_RUNTIME_DIR, then /dev/shm.
	Dirs []string
	// The editor's terminal.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// ErrNoMemoryDir says no memory-backed place for the plaintext was found.
var ErrNoMemoryDir = errors.New("no memory-backed directory (tmpfs) for the plaintext: itlag never writes it to disk; mount a tmpfs on /dev/shm or set XDG_RUNTIME_DIR, or pipe the new document in: itlag secrets edit FILE < new.yaml")

// Edit runs the editor on a copy of plaintext in memory and returns what
// the editor saved.
func (e CommandEditor) Edit(ctx context.Context, file string, plaintext []byte) ([]byte, error) {
	if strings.TrimSpace(e.Command) == "" {
		return nil, errors.New("no editor: set EDITOR (or pipe the new document in: itlag secrets edit FILE < new.yaml)")
	}
	base, err := memoryDir(e.Dirs)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(base, "itlag-secrets-")
	if err != nil {
		return nil, fmt.Errorf("private directory: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("private directory: %w", err)
	}
	name := filepath.Join(dir, strings.TrimSuffix(path.Base(file), ".age")+".yaml")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("private directory: %w", err)
	}
	_, err = f.Write(plaintext)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("private directory: %w", err)
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", e.Command+` "$1"`, "sh", name)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.Stdin, e.Stdout, e.Stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("editor %q: %w", e.Command, err)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read back: %w", err)
	}
	return b, nil
}

// memoryDir returns the first of dirs (default $XDG_RUNTIME_DIR, /dev/shm)
// that is a directory on a memory-backed file system.
func memoryDir(dirs []string) (string, error) {
	if dirs == nil {
		if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
			dirs = append(dirs, d)
		}
		dirs = append(dirs, "/dev/shm")
	}
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && inMemory(d) {
			return d, nil
		}
	}
	return "", ErrNoMemoryDir
}
