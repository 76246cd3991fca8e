// Package restictest makes restic repositories that open in milliseconds,
// for tests. restic init calibrates its key derivation (scrypt) to about
// half a second of CPU, and every restic command pays it again when it
// opens the repository: the tests that run restic dozens of times spent
// most of their time there. The repositories made here are restic's own
// format (restic's design document, "Keys, Encryption and MAC"), with a
// key derived with cheap scrypt parameters: restic opens them as any
// other, and the tests that run the real restic init still do.
package restictest

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/poly1305" //nolint:staticcheck // restic's MAC is Poly1305-AES; tests only.
	"golang.org/x/crypto/scrypt"
)

// Bin is the path of the restic in PATH. Without it the test is skipped,
// unless CI is set: then it fails (.ci/run installs restic).
func Bin(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("restic")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("restic not found in PATH (apt-get install restic); required when CI is set")
		}
		t.Skip("restic not found in PATH (apt-get install restic)")
	}
	return bin
}

// KDF is the scrypt cost of the keys written here (restic calibrates N to
// 32768 or more, with p up to 6).
var KDF = struct{ N, R, P int }{N: 1024, R: 8, P: 1}

// NewRepo writes an empty repository (format version 2) at dir, which must
// not exist or be empty, whose only key opens with password: what restic
// init writes, without its calibrated key derivation.
func NewRepo(dir, password string) error {
	for _, sub := range []string{"keys", "locks", "snapshots", "index"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return fmt.Errorf("restictest: %w", err)
		}
	}
	for i := range 256 {
		if err := os.MkdirAll(filepath.Join(dir, "data", fmt.Sprintf("%02x", i)), 0o700); err != nil {
			return fmt.Errorf("restictest: %w", err)
		}
	}
	master := randomKey()
	id := make([]byte, 32)
	rand.Read(id)
	config, err := json.Marshal(map[string]any{"version": 2, "id": hex.EncodeToString(id), "chunker_polynomial": "3da3358b4dc173"})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "config"), master.seal(config), 0o400); err != nil {
		return fmt.Errorf("restictest: %w", err)
	}
	masterJSON, err := json.Marshal(map[string]any{
		"mac":     map[string][]byte{"k": master.macK[:], "r": master.macR[:]},
		"encrypt": master.enc[:],
	})
	if err != nil {
		return err
	}
	return writeKey(dir, password, masterJSON)
}

// FastKey replaces the only key of the repository at dir (one restic init
// made) by one with the cheap parameters, for the same password. The
// master key, and so the repository, stay as restic made them: bin (the
// restic binary) reads it with "restic cat masterkey", opening the
// repository once at the calibrated cost.
func FastKey(ctx context.Context, bin, dir, password string) error {
	keysDir := filepath.Join(dir, "keys")
	entries, err := os.ReadDir(keysDir)
	if err != nil {
		return fmt.Errorf("restictest: %w", err)
	}
	if len(entries) != 1 {
		return fmt.Errorf("restictest: %s holds %d keys, want 1", keysDir, len(entries))
	}
	cmd := exec.CommandContext(ctx, bin, "--no-cache", "cat", "masterkey")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "RESTIC_REPOSITORY=" + dir, "RESTIC_PASSWORD=" + password}
	master, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%w: %s", err, exit.Stderr)
		}
		return fmt.Errorf("restictest: restic cat masterkey: %w", err)
	}
	if err := writeKey(dir, password, master); err != nil {
		return err
	}
	return os.Remove(filepath.Join(keysDir, entries[0].Name()))
}

// writeKey adds a key file holding masterJSON, sealed with what scrypt
// derives from password at the cost KDF.
func writeKey(dir, password string, masterJSON []byte) error {
	salt := make([]byte, 64)
	rand.Read(salt)
	derived, err := scrypt.Key([]byte(password), salt, KDF.N, KDF.R, KDF.P, 64)
	if err != nil {
		return fmt.Errorf("restictest: %w", err)
	}
	var user key
	copy(user.enc[:], derived[:32])
	copy(user.macK[:], derived[32:48])
	copy(user.macR[:], derived[48:64])
	host, _ := os.Hostname()
	keyFile, err := json.Marshal(map[string]any{
		"created": time.Now().UTC(), "username": "itlag-test", "hostname": host,
		"kdf": "scrypt", "N": KDF.N, "r": KDF.R, "p": KDF.P,
		"salt": salt, "data": user.seal(masterJSON),
	})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(keyFile) // restic names files by their hash
	if err := os.WriteFile(filepath.Join(dir, "keys", hex.EncodeToString(sum[:])), keyFile, 0o400); err != nil {
		return fmt.Errorf("restictest: %w", err)
	}
	return nil
}

// key is restic's crypto.Key: an AES-256 key and a Poly1305-AES key (k
// encrypts the nonce, r is the polynomial key).
type key struct {
	enc        [32]byte
	macK, macR [16]byte
}

// polyMask clamps r as Poly1305 requires.
var polyMask = [16]byte{0xff, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f}

func randomKey() key {
	var k key
	rand.Read(k.enc[:])
	rand.Read(k.macK[:])
	rand.Read(k.macR[:])
	for i := range k.macR {
		k.macR[i] &= polyMask[i]
	}
	return k
}

// seal is restic's Key.Seal with a fresh nonce in front: the nonce, the
// plaintext encrypted with AES-256-CTR, then the Poly1305-AES tag of the
// ciphertext.
func (k key) seal(plain []byte) []byte {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	c, err := aes.NewCipher(k.enc[:])
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	out := make([]byte, len(plain))
	cipher.NewCTR(c, nonce).XORKeyStream(out, plain)
	var pk [32]byte
	r := k.macR
	for i := range r {
		r[i] &= polyMask[i]
	}
	copy(pk[:16], r[:])
	kc, err := aes.NewCipher(k.macK[:])
	if err != nil {
		panic(err)
	}
	kc.Encrypt(pk[16:], nonce)
	var tag [16]byte
	poly1305.Sum(&tag, out, &pk)
	return append(append(nonce, out...), tag[:]...)
}
