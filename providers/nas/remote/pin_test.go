package remote

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func newKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func keyLine(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

func TestParsePinAccepts(t *testing.T) {
	key, other := newKey(t), newKey(t)
	tests := []struct {
		name, pin string
	}{
		{"key line", keyLine(key)},
		{"key line with comment", keyLine(key) + " root@nas"},
		{"known_hosts line", "nas.example " + keyLine(key)},
		{"known_hosts with port and several hosts", "[nas]:2222,192.0.2.7 " + keyLine(key) + " comment"},
		{"hashed known_hosts host", "|1|abc=|def= " + keyLine(key)},
		{"host that looks like a key type", "ssh-gw " + keyLine(key)},
		{"fingerprint", ssh.FingerprintSHA256(key)},
		{"fingerprint with padding and spaces", "  " + ssh.FingerprintSHA256(key) + "=\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pin, err := ParsePin(tt.pin)
			if err != nil {
				t.Fatalf("ParsePin(%q): %v", tt.pin, err)
			}
			if !pin.Matches(key) {
				t.Error("pin does not match its key")
			}
			if pin.Matches(other) {
				t.Error("pin matches another key")
			}
			if pin.Fingerprint() != Fingerprint(key) {
				t.Errorf("Fingerprint() = %s, want %s", pin.Fingerprint(), Fingerprint(key))
			}
		})
	}
}

func TestParsePinRejects(t *testing.T) {
	key := newKey(t)
	b64 := strings.Fields(keyLine(key))[1]
	tests := []struct {
		name, pin, want string
	}{
		{"empty", "  ", "empty"},
		{"md5 fingerprint", "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", "MD5"},
		{"short fingerprint", "SHA256:abcd", "32"},
		{"fingerprint not base64", "SHA256:@@@@", "base64"},
		{"cert authority", "@cert-authority *.example " + keyLine(key), "@cert-authority"},
		{"revoked", "@revoked * " + keyLine(key), "@revoked"},
		{"key not base64", "ssh-ed25519 !!!notbase64", "base64"},
		{"truncated key", "ssh-ed25519 " + b64[:20], "ssh-ed25519 key"},
		{"type mismatch", "ssh-rsa " + b64, "line says ssh-rsa but the key is ssh-ed25519"},
		{"host only", "nas.example", "not a key line"},
		{"host and type only", "nas.example ssh-ed25519", "not a key line"},
		{"garbage", "hello world again", "not a key line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePin(tt.pin)
			if err == nil {
				t.Fatalf("ParsePin(%q) accepted", tt.pin)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestZeroPinMatchesNothing(t *testing.T) {
	if (Pin{}).Matches(newKey(t)) {
		t.Error("zero pin matched a key")
	}
}

func TestHostKeyCallbackMismatch(t *testing.T) {
	pinned, presented := newKey(t), newKey(t)
	pin, err := ParsePin(keyLine(pinned))
	if err != nil {
		t.Fatal(err)
	}
	cb := pin.HostKeyCallback()
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 22}
	if err := cb("nas:22", addr, pinned); err != nil {
		t.Fatalf("pinned key refused: %v", err)
	}
	err = cb("nas:22", addr, presented)
	if !errors.Is(err, ErrHostKeyMismatch) {
		t.Fatalf("err = %v, want ErrHostKeyMismatch", err)
	}
	for _, want := range []string{Fingerprint(presented), Fingerprint(pinned), "nas:22"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not show %s", err, want)
		}
	}
}

func TestHostKeyAlgorithms(t *testing.T) {
	key := newKey(t)
	pin, _ := ParsePin(keyLine(key))
	if got := pin.hostKeyAlgorithms(); len(got) != 1 || got[0] != ssh.KeyAlgoED25519 {
		t.Errorf("ed25519 pin asks for %v", got)
	}
	fp, _ := ParsePin(Fingerprint(key))
	if got := fp.hostKeyAlgorithms(); got != nil {
		t.Errorf("fingerprint pin restricts algorithms to %v", got)
	}
}
