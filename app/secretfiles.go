package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret/agefile"
)

// SecretChange describes one change to a secrets file, for the audit
// trail: the file, the names of the keys that changed and the recipients
// it is now encrypted to. Never a value.
type SecretChange struct {
	File string `json:"file"`
	// Action is "set", "edit" or "recipients".
	Action string `json:"action"`
	// Created is true when the file did not exist before.
	Created bool     `json:"created,omitempty"`
	Added   []string `json:"added,omitempty"`
	Changed []string `json:"changed,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Recipients are the public keys the file is encrypted to.
	Recipients []string `json:"recipients"`
	// Written is false when nothing changed and the file was left as it was.
	Written bool `json:"written"`
}

// secretsState loads the state for the secrets commands: the secrets files
// themselves are not checked (set creates them).
func secretsState(stateDir string) (*schema.State, error) {
	st, err := schema.LoadDeclared(stateDir)
	if err != nil {
		var errs schema.Errors
		if errors.As(err, &errs) {
			return nil, &InvalidError{StateDir: stateDir, Problems: errs, Err: err}
		}
		return nil, fmt.Errorf("%w (set --state DIR)", err)
	}
	return st, nil
}

// recipientsFor parses the recipients the state declares for file.
func recipientsFor(st *schema.State, stateDir, file string) ([]string, []age.Recipient, error) {
	keys := st.Secrets.RecipientsFor(file)
	if len(keys) == 0 {
		return nil, nil, fmt.Errorf("%s: no recipients: declare secrets.recipients (age public keys, age1…) in %s", file, stateDir)
	}
	rs, err := agefile.ParseRecipients(keys)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return keys, rs, nil
}

// openSecrets reads and decrypts file; a missing file is an empty
// document (created reports it).
func openSecrets(stateDir, file string) (plain []byte, created bool, err error) {
	if err := agefile.CheckName(file); err != nil {
		return nil, false, err
	}
	data, err := agefile.ReadFile(stateDir, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	ids, err := agefile.IdentitiesFromEnv(os.Getenv)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", file, err)
	}
	plain, err = agefile.Decrypt(file, data, ids)
	return plain, false, err
}

// sealSecrets validates the new document, and, when it differs from the
// old one (or force is set), encrypts it to the recipients and writes it.
func sealSecrets(stateDir string, ch *SecretChange, oldPlain, newPlain []byte, recips []age.Recipient, force bool) error {
	oldVals, err := agefile.Parse(oldPlain)
	if err != nil {
		return fmt.Errorf("%s: the current file: %w", ch.File, err)
	}
	newVals, err := agefile.Parse(newPlain)
	if err != nil {
		return fmt.Errorf("%s: %w; nothing written", ch.File, err)
	}
	ch.Added, ch.Changed, ch.Removed = agefile.Diff(oldVals, newVals)
	if !force && !ch.Created && bytes.Equal(oldPlain, newPlain) {
		return nil
	}
	data, err := agefile.Encrypt(newPlain, recips)
	if err != nil {
		return fmt.Errorf("%s: %w", ch.File, err)
	}
	if err := agefile.WriteFile(stateDir, ch.File, data); err != nil {
		return err
	}
	ch.Written = true
	return nil
}

// SecretSet sets key in the secrets file (created if missing) to value and
// re-encrypts the file to the recipients the state declares. value comes
// from stdin, never from the command line; one final newline is dropped.
// Setting the value it already has writes nothing.
func SecretSet(ctx context.Context, opts Options, file, key string, value []byte) (SecretChange, error) {
	v := strings.TrimSuffix(strings.TrimSuffix(string(value), "\n"), "\r")
	// the names and the value are checked before anything is decrypted
	if err := agefile.CheckName(file); err != nil {
		return SecretChange{File: file, Action: "set"}, err
	}
	if err := agefile.CheckKey(key); err != nil {
		return SecretChange{File: file, Action: "set"}, fmt.Errorf("%s: %w", file, err)
	}
	switch {
	case strings.TrimSpace(v) == "":
		return SecretChange{File: file, Action: "set"}, fmt.Errorf("%s: key %s: the value read from stdin is empty", file, key)
	case !utf8.ValidString(v):
		return SecretChange{File: file, Action: "set"}, fmt.Errorf("%s: key %s: the value is not UTF-8 text", file, key)
	}
	return changeSecrets(ctx, opts, file, "set", func(plain []byte, _ bool) ([]byte, error) {
		newPlain, err := agefile.Set(plain, key, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return newPlain, nil
	})
}

// SecretEdit lets ed change the decrypted document of the secrets file
// (an empty one when the file does not exist yet), validates the result
// (a YAML map of KEY: value) and re-encrypts it to the declared
// recipients. When the document comes back unchanged, the file is left
// untouched.
func SecretEdit(ctx context.Context, opts Options, file string, ed Editor) (SecretChange, error) {
	return changeSecrets(ctx, opts, file, "edit", func(plain []byte, created bool) ([]byte, error) {
		newPlain, err := ed.Edit(ctx, file, plain)
		if err != nil {
			return nil, fmt.Errorf("%s: edit: %w; nothing written", file, err)
		}
		if created && len(bytes.TrimSpace(newPlain)) == 0 {
			clear(newPlain)
			return nil, nil // nothing to create
		}
		return newPlain, nil
	})
}

// changeSecrets decrypts the secrets file in memory (an empty document
// when it does not exist yet: created), lets change make the new document
// (nil: nothing to write), re-encrypts it to the declared recipients when
// it differs, and records a written change in the audit trail. Neither
// document outlives the call.
func changeSecrets(ctx context.Context, opts Options, file, action string, change func(plain []byte, created bool) ([]byte, error)) (SecretChange, error) {
	ch := SecretChange{File: file, Action: action}
	if opts.StateDir == "" {
		opts.StateDir = "."
	}
	st, err := secretsState(opts.StateDir)
	if err != nil {
		return ch, err
	}
	if err := agefile.CheckName(file); err != nil {
		return ch, err
	}
	keys, recips, err := recipientsFor(st, opts.StateDir, file)
	if err != nil {
		return ch, err
	}
	ch.Recipients = keys
	plain, created, err := openSecrets(opts.StateDir, file)
	if err != nil {
		return ch, err
	}
	defer clear(plain)
	newPlain, err := change(plain, created)
	if err != nil || newPlain == nil {
		return ch, err
	}
	defer clear(newPlain)
	ch.Created = created
	if err := sealSecrets(opts.StateDir, &ch, plain, newPlain, recips, false); err != nil {
		return ch, err
	}
	return ch, recordSecretChange(ctx, opts, ch)
}

// recordSecretChange appends a change that was written to the audit trail:
// the file, what was done and the names of the keys it touched (a change
// of recipients touches none). A change not written is not recorded.
func recordSecretChange(ctx context.Context, opts Options, ch SecretChange) error {
	if !ch.Written {
		return nil
	}
	keys := slices.Concat(ch.Added, ch.Changed, ch.Removed)
	if err := RecordSecretChange(ctx, opts, ch.File, ch.Action, keys); err != nil {
		return fmt.Errorf("%s: written, but not recorded in the audit trail: %w", ch.File, err)
	}
	return nil
}
