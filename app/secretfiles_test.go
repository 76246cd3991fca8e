package app

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/lagrieta/itlag/schema/secret/agefile"
)

// TestSecretChanges: each command that changes a secrets file returns what
// changed — file, key names, recipients — and never a value.
func TestSecretChanges(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	state := "secrets:\n  recipients: [" + id.Recipient().String() + "]\n"
	if err := os.WriteFile(filepath.Join(dir, "secrets.yaml"), []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(agefile.EnvIdentity, id.String())
	t.Setenv(agefile.EnvIdentityFile, "")
	ctx, opts := context.Background(), Options{StateDir: dir, DataDir: t.TempDir()} // never the real data dir
	check := func(name string, ch SecretChange, want SecretChange) {
		t.Helper()
		want.Recipients = []string{id.Recipient().String()}
		got, _ := json.Marshal(ch)
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("%s: change\n%s\nwant\n%s", name, got, w)
		}
		if strings.Contains(string(got), "s3cr3t") {
			t.Errorf("%s: the change holds a value: %s", name, got)
		}
	}

	ch, err := SecretSet(ctx, opts, "secrets/office.age", "A", []byte("s3cr3t-a\n"))
	if err != nil {
		t.Fatal(err)
	}
	check("create", ch, SecretChange{File: "secrets/office.age", Action: "set", Created: true, Added: []string{"A"}, Written: true})

	ch, err = SecretSet(ctx, opts, "secrets/office.age", "A", []byte("s3cr3t-a2"))
	if err != nil {
		t.Fatal(err)
	}
	check("replace", ch, SecretChange{File: "secrets/office.age", Action: "set", Changed: []string{"A"}, Written: true})

	ch, err = SecretEdit(ctx, opts, "secrets/office.age", ReaderEditor{R: strings.NewReader("B: s3cr3t-b\nC: s3cr3t-c\n")})
	if err != nil {
		t.Fatal(err)
	}
	check("edit", ch, SecretChange{File: "secrets/office.age", Action: "edit", Added: []string{"B", "C"}, Removed: []string{"A"}, Written: true})

	res, err := SecretRecipients(ctx, opts, []string{"secrets/office.age"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Change == nil {
		t.Fatalf("recipients: %+v", res)
	}
	check("recipients", *res.Files[0].Change, SecretChange{File: "secrets/office.age", Action: "recipients", Written: true})

	plain, err := agefile.DecryptFile(os.DirFS(dir), "secrets/office.age", []age.Identity{id})
	if err != nil {
		t.Fatal(err)
	}
	vals, _ := agefile.Parse(plain)
	if keys := slices.Sorted(maps.Keys(vals)); strings.Join(keys, ",") != "B,C" || vals["B"] != "s3cr3t-b" {
		t.Fatalf("file holds %v", keys)
	}

	// no recipients declared: refused, nothing written
	if err := os.WriteFile(filepath.Join(dir, "secrets.yaml"), []byte("policy: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := SecretSet(ctx, opts, "secrets/new.age", "A", []byte("x")); err == nil || !strings.Contains(err.Error(), "declare secrets.recipients") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "secrets/new.age")); !os.IsNotExist(err) {
		t.Fatal("a file was written without recipients")
	}
}
