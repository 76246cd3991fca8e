package restic

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/poly1305" //nolint:staticcheck // restic's MAC is Poly1305-AES; tests only.
	"golang.org/x/crypto/scrypt"
)

// fastKey rewrites the repository's only key file with cheap scrypt
// parameters (N=1024, r=8, p=1) so that each restic invocation of the
// integration tests opens the repository in milliseconds instead of the
// half second restic calibrates its KDF to. Only the key's wrapping
// changes: the master key (from restic cat masterkey), and so the
// repository, stay as restic made them.
//
// The key file is restic's design.rst "Keys" format: scrypt(password,
// salt) gives 64 bytes, an AES-256 key then a Poly1305-AES key (k, r);
// data is IV || AES-256-CTR(master key JSON) || MAC.
func fastKey(t testing.TB, bin, repoDir, password string) {
	t.Helper()
	cmd := exec.Command(bin, "cat", "masterkey")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "RESTIC_REPOSITORY=" + repoDir, "RESTIC_PASSWORD=" + password, "RESTIC_CACHE_DIR=" + t.TempDir()}
	master, err := cmd.Output()
	if err != nil {
		t.Fatalf("fastKey: restic cat masterkey: %v", err)
	}
	keysDir := filepath.Join(repoDir, "keys")
	entries, err := os.ReadDir(keysDir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("fastKey: want one key in %s: %v (%d)", keysDir, err, len(entries))
	}
	oldPath := filepath.Join(keysDir, entries[0].Name())
	raw, err := os.ReadFile(oldPath)
	if err != nil {
		t.Fatal(err)
	}
	var kf map[string]json.RawMessage
	var salt []byte
	if err := json.Unmarshal(raw, &kf); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(kf["salt"], &salt); err != nil {
		t.Fatalf("fastKey: key salt: %v", err)
	}
	const n, r, p = 1024, 8, 1
	sealed := keySeal(kdf(t, password, salt, n, r, p), master)
	for name, v := range map[string]any{"N": n, "r": r, "p": p, "data": sealed} {
		b, _ := json.Marshal(v)
		kf[name] = b
	}
	out, err := json.Marshal(kf)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(out) // restic names files by their hash
	if err := os.WriteFile(filepath.Join(keysDir, hex.EncodeToString(sum[:])), out, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(oldPath); err != nil {
		t.Fatal(err)
	}
}

// userKey is what scrypt derives from the password.
type userKey struct {
	enc        []byte // AES-256
	macK, macR []byte // Poly1305-AES: k encrypts the nonce, r is the polynomial key
}

func kdf(t testing.TB, password string, salt []byte, n, r, p int) userKey {
	t.Helper()
	b, err := scrypt.Key([]byte(password), salt, n, r, p, 64)
	if err != nil {
		t.Fatal(err)
	}
	return userKey{enc: b[:32], macK: b[32:48], macR: b[48:64]}
}

func (k userKey) mac(nonce, ct []byte) [16]byte {
	var key [32]byte
	copy(key[:16], k.macR)
	blk, _ := aes.NewCipher(k.macK)
	blk.Encrypt(key[16:], nonce)
	var tag [16]byte
	poly1305.Sum(&tag, ct, &key)
	return tag
}

func keySeal(k userKey, plain []byte) []byte {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	blk, _ := aes.NewCipher(k.enc)
	ct := make([]byte, len(plain))
	cipher.NewCTR(blk, nonce).XORKeyStream(ct, plain)
	tag := k.mac(nonce, ct)
	return append(append(nonce, ct...), tag[:]...)
}
