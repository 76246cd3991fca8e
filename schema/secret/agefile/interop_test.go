package agefile

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ageCLI returns the paths of Debian's age and age-keygen. Missing, the
// test fails when CI is set (.ci/run installs the age package) and skips
// otherwise.
func ageCLI(t *testing.T) (ageBin, keygen string) {
	t.Helper()
	a, err1 := exec.LookPath("age")
	k, err2 := exec.LookPath("age-keygen")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the age CLI is not installed (age: %v, age-keygen: %v); CI must install the age package", err1, err2)
		}
		t.Skip("the age CLI (Debian package age) is not installed; the interop test needs it")
	}
	return a, k
}

// run runs a command with stdin and returns its stdout (plaintext passes
// through pipes, never through files).
func run(t *testing.T, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.Bytes()
}

func TestInteropWithAgeCLI(t *testing.T) {
	ageBin, keygen := ageCLI(t)
	dir := t.TempDir()
	keyFile := filepath.Join(t.TempDir(), "key.txt")
	run(t, nil, keygen, "-o", keyFile)
	recipient := strings.TrimSpace(string(run(t, nil, keygen, "-y", keyFile)))
	t.Setenv(EnvIdentityFile, keyFile)
	ids, err := IdentitiesFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	recips, err := ParseRecipients([]string{recipient})
	if err != nil {
		t.Fatal(err)
	}

	// itlag writes, age reads
	data, err := Encrypt([]byte(plain), recips)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, "itlag.age", data); err != nil {
		t.Fatal(err)
	}
	if got := run(t, nil, ageBin, "-d", "-i", keyFile, filepath.Join(dir, "itlag.age")); string(got) != plain {
		t.Fatalf("age -d read %q", got)
	}

	// age writes (armored and binary), itlag reads
	for _, tc := range []struct {
		name    string
		args    []string
		armored bool
	}{
		{"armored.age", []string{"-a"}, true},
		{"binary.age", nil, false},
	} {
		args := append([]string{"-r", recipient, "-o", filepath.Join(dir, tc.name)}, tc.args...)
		run(t, []byte(plain), ageBin, args...)
		info, err := Inspect(os.DirFS(dir), tc.name)
		if err != nil || info.Armored != tc.armored || info.Stanzas != 1 {
			t.Fatalf("%s: Inspect = %+v, %v", tc.name, info, err)
		}
		got, err := DecryptFile(os.DirFS(dir), tc.name, ids)
		if err != nil || string(got) != plain {
			t.Fatalf("%s: itlag read %q, %v", tc.name, got, err)
		}
	}

	// age edits a file itlag wrote (decrypt, change, encrypt binary), itlag
	// changes it again and re-encrypts (armored), age reads the result
	edited := bytes.Replace(run(t, nil, ageBin, "-d", "-i", keyFile, filepath.Join(dir, "itlag.age")), []byte("s3cr3t-smtp"), []byte("edited-by-age"), 1)
	run(t, edited, ageBin, "-r", recipient, "-o", filepath.Join(dir, "roundtrip.age"))
	got, err := DecryptFile(os.DirFS(dir), "roundtrip.age", ids)
	if err != nil {
		t.Fatal(err)
	}
	next, err := Set(got, "NOIP_PASSWORD", "set-by-itlag")
	if err != nil {
		t.Fatal(err)
	}
	data, err = Encrypt(next, recips)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, "roundtrip.age", data); err != nil {
		t.Fatal(err)
	}
	vals, err := Parse(run(t, nil, ageBin, "-d", "-i", keyFile, filepath.Join(dir, "roundtrip.age")))
	if err != nil {
		t.Fatal(err)
	}
	if vals["NOIP_PASSWORD"] != "set-by-itlag" || vals["SMTP_PASSWORD"] != "edited-by-age" {
		t.Fatalf("after the round trip: %v", vals)
	}
}
