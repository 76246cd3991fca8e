package agefile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

const plain = "NOIP_PASSWORD: s3cr3t-noip\n# a comment\nSMTP_PASSWORD: s3cr3t-smtp\n"

func newID(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// stateDir returns a state directory holding secrets/office.age encrypted
// to id.
func stateDir(t *testing.T, id *age.X25519Identity) string {
	t.Helper()
	dir := t.TempDir()
	data, err := Encrypt([]byte(plain), []age.Recipient{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, "secrets/office.age", data); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRoundTrip(t *testing.T) {
	id := newID(t)
	dir := stateDir(t, id)
	data, err := os.ReadFile(filepath.Join(dir, "secrets/office.age"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("-----BEGIN AGE ENCRYPTED FILE-----\n")) || bytes.Contains(data, []byte("s3cr3t")) {
		t.Fatalf("want an armored file without the plaintext, got:\n%s", data)
	}
	got, err := DecryptFile(os.DirFS(dir), "secrets/office.age", []age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != plain {
		t.Fatalf("got %q", got)
	}
	vals, err := Parse(got)
	if err != nil || vals["NOIP_PASSWORD"] != "s3cr3t-noip" || vals["SMTP_PASSWORD"] != "s3cr3t-smtp" {
		t.Fatalf("Parse = %v, %v", vals, err)
	}
	info, err := Inspect(os.DirFS(dir), "secrets/office.age")
	if err != nil || !info.Armored || info.Stanzas != 1 {
		t.Fatalf("Inspect = %+v, %v", info, err)
	}
	// no temporary file is left beside it
	ents, _ := os.ReadDir(filepath.Join(dir, "secrets"))
	if len(ents) != 1 {
		t.Fatalf("secrets/ holds %d files, want 1", len(ents))
	}
}

func TestDecryptErrors(t *testing.T) {
	id := newID(t)
	dir := stateDir(t, id)
	good, _ := os.ReadFile(filepath.Join(dir, "secrets/office.age"))
	armoredBody := good[:len(good)-40] // armor cut before its footer
	bin, _, _ := dearmor(good)
	tests := []struct {
		name string
		data []byte
		ids  []age.Identity
		want string
		is   error
	}{
		{"wrong identity", good, []age.Identity{newID(t)}, "no identity matches", ErrNoMatch},
		{"no identity", good, nil, "ITLAG_AGE_IDENTITY", ErrNoIdentity},
		{"truncated armor", armoredBody, []age.Identity{id}, "broken armor", nil},
		{"truncated binary", bin[:len(bin)-10], []age.Identity{id}, "truncated or altered", nil},
		{"not age", []byte("NOIP_PASSWORD: s3cr3t\n"), []age.Identity{id}, "cannot decrypt", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decrypt("secrets/office.age", tt.data, tt.ids)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "secrets/office.age") {
				t.Fatalf("err = %v, want naming the file and containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v", err, tt.is)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), id.String()) {
				t.Fatalf("error leaks: %v", err)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	id := newID(t)
	dir := stateDir(t, id)
	good, _ := os.ReadFile(filepath.Join(dir, "secrets/office.age"))
	bin, _, _ := dearmor(good)
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bin.age", bin)
	write("plain.age", []byte(plain))
	write("cut.age", good[:60])
	write("loose.age", good)
	if err := os.Chmod(filepath.Join(dir, "loose.age"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("secrets/office.age", filepath.Join(dir, "link.age")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("secrets", filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	write("../"+filepath.Base(outside)+"/x.age", good)
	tests := []struct {
		name    string
		file    string
		armored bool
		want    string
	}{
		{"armored", "secrets/office.age", true, ""},
		{"binary", "bin.age", false, ""},
		{"plaintext", "plain.age", false, "not an age file"},
		{"truncated armor", "cut.age", false, "broken armor"},
		{"missing", "secrets/nope.age", false, "no such file"},
		{"symlink", "link.age", false, "link.age is a symlink"},
		{"symlinked directory", "linkdir/office.age", false, "linkdir is a symlink"},
		{"writable by others", "loose.age", false, "writable by others"},
		{"dot-dot", "../" + filepath.Base(outside) + "/x.age", false, "inside the state directory"},
		{"absolute", filepath.Join(outside, "x.age"), false, "relative to the state directory"},
		{"not .age", "secrets/office.yaml", false, "ending in .age"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := Inspect(os.DirFS(dir), tt.file)
			if tt.want == "" {
				if err != nil || info.Armored != tt.armored || info.Stanzas != 1 {
					t.Fatalf("Inspect = %+v, %v", info, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("error leaks: %v", err)
			}
		})
	}
	if _, err := ReadFile(dir, "link.age"); !errors.Is(err, ErrUnsafePath) {
		t.Fatalf("ReadFile through a symlink: err = %v, want ErrUnsafePath", err)
	}
}

func TestWriteFileRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "secrets")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "target.age"), filepath.Join(dir, "direct.age")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"secrets/office.age", "direct.age", "../x.age"} {
		if err := WriteFile(dir, name, []byte("x")); err == nil {
			t.Errorf("WriteFile(%s) wrote through a symlink or outside", name)
		}
	}
	ents, _ := os.ReadDir(outside)
	if len(ents) != 0 {
		t.Fatalf("something was written outside the state directory: %v", ents)
	}
}

func TestIdentitiesFromEnv(t *testing.T) {
	id := newID(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte("# created: now\n"+id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	loose := filepath.Join(dir, "loose.txt")
	if err := os.WriteFile(loose, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(loose, 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name string
		env  map[string]string
		n    int
		want string
	}{
		{"key", map[string]string{EnvIdentity: id.String()}, 1, ""},
		{"file", map[string]string{EnvIdentityFile: keyFile}, 1, ""},
		{"both", map[string]string{EnvIdentity: id.String(), EnvIdentityFile: keyFile}, 2, ""},
		{"none", map[string]string{}, 0, "set ITLAG_AGE_IDENTITY"},
		{"bad key", map[string]string{EnvIdentity: "AGE-SECRET-KEY-1NOTAKEY"}, 0, "ITLAG_AGE_IDENTITY: error at line 1"},
		{"missing file", map[string]string{EnvIdentityFile: filepath.Join(dir, "nope")}, 0, "ITLAG_AGE_IDENTITY_FILE: open"},
		{"file others can read", map[string]string{EnvIdentityFile: loose}, 0, "readable or writable by others (chmod 600 it)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := IdentitiesFromEnv(env(tt.env))
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want containing %q", err, tt.want)
				}
				if strings.Contains(err.Error(), "NOTAKEY") {
					t.Fatalf("error quotes the key: %v", err)
				}
				return
			}
			if err != nil || len(ids) != tt.n {
				t.Fatalf("got %d identities, %v", len(ids), err)
			}
		})
	}
}

func TestParseAndSet(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"empty", "", ""},
		{"list", "- a\n", "want a map"},
		{"nested", "A:\n  B: c\n", "key A: want a text value"},
		{"null", "A:\n", "key A: want a text value"},
		{"bad key", "a b: c\n", `key "a b"`},
		{"duplicate", "A: x\nA: y\n", "line 2"},
		{"syntax", "A: [s3cr3t\n", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("err = %v, want containing %q and no value", err, tt.want)
			}
		})
	}
	out, err := Set([]byte(plain), "NOIP_PASSWORD", "n3w: value")
	if err != nil {
		t.Fatal(err)
	}
	vals, _ := Parse(out)
	if vals["NOIP_PASSWORD"] != "n3w: value" || vals["SMTP_PASSWORD"] != "s3cr3t-smtp" || !strings.Contains(string(out), "# a comment") {
		t.Fatalf("Set gave:\n%s", out)
	}
	out, err = Set(nil, "NEW", "v")
	if err != nil || string(out) != "NEW: v\n" {
		t.Fatalf("Set on empty = %q, %v", out, err)
	}
	a, c, r := Diff(map[string]string{"A": "1", "B": "2"}, map[string]string{"B": "3", "C": "4"})
	if strings.Join(a, ",") != "C" || strings.Join(c, ",") != "B" || strings.Join(r, ",") != "A" {
		t.Fatalf("Diff = %v %v %v", a, c, r)
	}
}

var _ fs.FS = os.DirFS(".")
