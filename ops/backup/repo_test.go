package backup

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/poly1305"
	"golang.org/x/crypto/scrypt"

	"github.com/lagrieta/itlag/ops/backup/restic"
)

// needRestic returns a Runner for the restic in PATH. Without restic the
// test is skipped, unless CI is set: then it fails.
func needRestic(t testing.TB) *restic.Runner {
	t.Helper()
	if _, err := exec.LookPath("restic"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("restic not found in PATH (install the restic package); required when CI is set")
		}
		t.Skip("restic not found in PATH (install the restic package)")
	}
	return &restic.Runner{CacheDir: t.TempDir()}
}

// testKDF are scrypt parameters far below what restic init calibrates
// (about 0.5 s per derivation, paid by every restic command), so that a
// test repository opens in a few milliseconds.
var testKDF = struct{ N, R, P int }{N: 1024, R: 8, P: 1}

// newTestRepo writes an empty restic repository (format version 2) at dir,
// whose only key opens with password under testKDF: what restic init
// writes, as restic's design document specifies it (config and key files
// encrypted with AES-256-CTR and authenticated with Poly1305-AES), without
// init's calibrated key derivation.
func newTestRepo(t testing.TB, dir, password string) {
	t.Helper()
	for _, sub := range []string{"keys", "locks", "snapshots", "index"} {
		mustMkdir(t, filepath.Join(dir, sub))
	}
	for i := range 256 {
		mustMkdir(t, filepath.Join(dir, "data", fmt.Sprintf("%02x", i)))
	}
	master := randomKey(t)
	id := make([]byte, 32)
	rand.Read(id)
	config, err := json.Marshal(map[string]any{"version": 2, "id": hex.EncodeToString(id), "chunker_polynomial": "3da3358b4dc173"})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, "config"), master.seal(config))

	salt := make([]byte, 64)
	rand.Read(salt)
	derived, err := scrypt.Key([]byte(password), salt, testKDF.N, testKDF.R, testKDF.P, 64)
	if err != nil {
		t.Fatal(err)
	}
	user := key{mac: [2][16]byte{}}
	copy(user.enc[:], derived[:32])
	copy(user.mac[0][:], derived[32:48])
	copy(user.mac[1][:], derived[48:64])
	masterJSON, err := json.Marshal(map[string]any{
		"mac":     map[string][]byte{"k": master.mac[0][:], "r": master.mac[1][:]},
		"encrypt": master.enc[:],
	})
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	keyFile, err := json.Marshal(map[string]any{
		"created": time.Now().UTC(), "username": "itlag-test", "hostname": host,
		"kdf": "scrypt", "N": testKDF.N, "r": testKDF.R, "p": testKDF.P,
		"salt": salt, "data": user.seal(masterJSON),
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(keyFile)
	mustWrite(t, filepath.Join(dir, "keys", hex.EncodeToString(sum[:])), keyFile)
}

// key is restic's crypto.Key: an AES-256 key and a Poly1305-AES key (k, r).
type key struct {
	enc [32]byte
	mac [2][16]byte // k (AES-128), r (Poly1305)
}

// polyMask clamps r as Poly1305 requires.
var polyMask = [16]byte{0xff, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f, 0xfc, 0xff, 0xff, 0x0f}

func randomKey(t testing.TB) key {
	var k key
	rand.Read(k.enc[:])
	rand.Read(k.mac[0][:])
	rand.Read(k.mac[1][:])
	for i := range k.mac[1] {
		k.mac[1][i] &= polyMask[i]
	}
	return k
}

// seal is restic's Key.Seal with a fresh nonce in front: nonce, the
// plaintext encrypted with AES-256-CTR, then the Poly1305-AES tag of the
// ciphertext.
func (k key) seal(plain []byte) []byte {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	c, err := aes.NewCipher(k.enc[:])
	if err != nil {
		panic(err)
	}
	out := make([]byte, len(plain))
	cipher.NewCTR(c, nonce).XORKeyStream(out, plain)
	var pk [32]byte
	r := k.mac[1]
	for i := range r {
		r[i] &= polyMask[i]
	}
	copy(pk[:16], r[:])
	kc, err := aes.NewCipher(k.mac[0][:])
	if err != nil {
		panic(err)
	}
	kc.Encrypt(pk[16:], nonce)
	var tag [16]byte
	poly1305.Sum(&tag, out, &pk)
	return append(append(nonce, out...), tag[:]...)
}

func mustMkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o400); err != nil {
		t.Fatal(err)
	}
}

func TestNewTestRepo(t *testing.T) {
	t.Parallel()
	r := needRestic(t)
	dir := filepath.Join(t.TempDir(), "repo")
	newTestRepo(t, dir, "pw")
	repo := restic.Repo{URL: dir, Password: "pw"}
	ctx := t.Context()
	if snaps, err := r.Snapshots(ctx, repo); err != nil || len(snaps) != 0 {
		t.Fatalf("Snapshots of a new test repository = %v, %v", snaps, err)
	}
	if err := r.Init(ctx, repo); err != nil {
		t.Errorf("Init of an existing test repository: %v", err)
	}
	if _, err := r.Snapshots(ctx, restic.Repo{URL: dir, Password: "other"}); err == nil {
		t.Error("the repository opened with another password")
	}
}
