package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/lagrieta/itlag/schema/secret/agefile"
)

func TestLoadAgeRefs(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data, err := agefile.Encrypt([]byte("NOIP_PASSWORD: s3cr3t\n"), []age.Recipient{id.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	if err := agefile.WriteFile(dir, "secrets/office.age", data); err != nil {
		t.Fatal(err)
	}
	state := `secrets:
  recipients: [` + id.Recipient().String() + `]
providers:
  noip:
    username: {env: NOIP_USER}
    password: {age: secrets/office.age, key: NOIP_PASSWORD}
    contact: it@example.org
`
	if err := os.WriteFile(filepath.Join(dir, "state.yaml"), []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Providers.NoIP.Password; got.Age != "secrets/office.age" || got.Key != "NOIP_PASSWORD" || got.String() != "age:secrets/office.age#NOIP_PASSWORD" {
		t.Fatalf("password ref = %+v", got)
	}
	if len(st.AgeRefs) != 1 || st.AgeRefs[0].Pos.Line != 6 || st.AgeRefs[0].Path != "providers.noip.password.age" {
		t.Fatalf("AgeRefs = %+v", st.AgeRefs)
	}
	if r := st.Secrets.RecipientsFor("secrets/office.age"); len(r) != 1 || r[0] != id.Recipient().String() {
		t.Fatalf("recipients = %v", r)
	}

	// the same state with the file replaced by a symlink to it is refused
	if err := os.Rename(filepath.Join(dir, "secrets/office.age"), filepath.Join(dir, "secrets/real.age")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.age", filepath.Join(dir, "secrets/office.age")); err != nil {
		t.Fatal(err)
	}
	_, err = Load(dir)
	if err == nil || !strings.Contains(err.Error(), "state.yaml:6:21: providers.noip.password.age: secrets file secrets/office.age: unsafe path: secrets/office.age is a symlink") {
		t.Fatalf("err = %v", err)
	}
}
