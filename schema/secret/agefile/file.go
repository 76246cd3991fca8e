package agefile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// MaxSize bounds a secrets file: a map of credentials is a few kilobytes.
const MaxSize = 1 << 20

// Info is what a secrets file's header tells without decrypting it.
type Info struct {
	// Armored is true for ASCII-armored files (-----BEGIN AGE ENCRYPTED FILE-----).
	Armored bool
	// Stanzas is the number of recipient stanzas: one per recipient the
	// file was encrypted to (the header does not say which ones).
	Stanzas int
}

// Inspect checks that name, in fsys (the state directory), is a safe path
// to a well-formed age file (armor, if any, intact; header parses) and
// returns what its header says. It needs no identity.
func Inspect(fsys fs.FS, name string) (Info, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return Info{}, err
	}
	return inspect(name, data)
}

func inspect(name string, data []byte) (Info, error) {
	var info Info
	bin, armored, err := dearmor(data)
	if err != nil {
		return info, fmt.Errorf("%s: %w", name, err)
	}
	info.Armored = armored
	hdr, err := age.ExtractHeader(bytes.NewReader(bin))
	if err != nil {
		// age's message quotes the file's first bytes: a plaintext file
		// committed by mistake must not be shown
		return info, fmt.Errorf("%s: not an age file (no age-encryption.org/v1 header)", name)
	}
	sc := bufio.NewScanner(bytes.NewReader(hdr))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "-> ") {
			info.Stanzas++
		}
	}
	return info, nil
}

// dearmor returns the binary age file, reading through the armor (to its
// end, so that a truncated armored file is caught) when there is one.
func dearmor(data []byte) (bin []byte, armored bool, err error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(armor.Header)) {
		return data, false, nil
	}
	bin, err = io.ReadAll(armor.NewReader(bytes.NewReader(data)))
	if err != nil {
		msg := err.Error()
		if i := strings.Index(msg, `: "`); i >= 0 {
			msg = msg[:i] // the armor's messages may quote a line of the file
		}
		return nil, true, errors.New("broken armor: " + msg)
	}
	return bin, true, nil
}

// readFile reads name from fsys after checking its path (see checkChain).
func readFile(fsys fs.FS, name string) ([]byte, error) {
	if err := checkChain(fsys, name); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxSize)
	}
	return data, nil
}

// ErrNoMatch says none of the identities opens the file.
var ErrNoMatch = errors.New("no identity matches the file")

// DecryptFile reads and decrypts name in fsys (armored or binary) and
// returns the plaintext, held in memory only.
func DecryptFile(fsys fs.FS, name string, ids []age.Identity) ([]byte, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return Decrypt(name, data, ids)
}

// Decrypt decrypts an age file's content, armored or binary; name is only
// used in errors.
func Decrypt(name string, data []byte, ids []age.Identity) ([]byte, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoIdentity)
	}
	bin, _, err := dearmor(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := age.ExtractHeader(bytes.NewReader(bin)); err != nil {
		return nil, fmt.Errorf("%s: cannot decrypt: not an age file (no age-encryption.org/v1 header)", name)
	}
	r, err := age.Decrypt(bytes.NewReader(bin), ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("%s: %w (is it encrypted to your key? itlag secrets recipients re-encrypts it to the declared recipients)", name, ErrNoMatch)
		}
		return nil, fmt.Errorf("%s: cannot decrypt: %w", name, err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: cannot decrypt (truncated or altered?): %w", name, err)
	}
	if len(plain) > MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxSize)
	}
	return plain, nil
}

// Encrypt encrypts plaintext to the recipients, ASCII-armored.
func Encrypt(plaintext []byte, recipients []age.Recipient) ([]byte, error) {
	if len(recipients) == 0 {
		return nil, errors.New("no recipients: declare secrets.recipients in the state")
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	if err := aw.Close(); err != nil {
		return nil, fmt.Errorf("encrypt: armor: %w", err)
	}
	return buf.Bytes(), nil
}
