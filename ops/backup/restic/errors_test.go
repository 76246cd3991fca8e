package restic

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExitErrorMapping(t *testing.T) {
	tests := []struct {
		name   string
		code   int
		stderr string // fixture file, or literal text when it has a space
		kind   error
		msg    string
	}{
		{"0.14 wrong password", 1, "restic-0.14-wrong-password.stderr", ErrWrongPassword, "wrong password or no key found"},
		{"0.14 no repository", 1, "restic-0.14-no-repository.stderr", ErrNoRepository, "unable to open config file: stat $WORKDIR/none/config: no such file or directory"},
		{"0.14 locked", 1, "restic-0.14-locked.stderr", ErrLocked, "unable to create lock in backend: repository is already locked by PID 20859 on vm by root (UID 0, GID 0)"},
		{"0.14 ls unknown snapshot", 1, "restic-0.14-ls-unknown.stderr", ErrNoSnapshot, `Ignoring "deadbeef": no matching ID found for prefix "deadbeef"`},
		{"0.14 restore unknown snapshot", 1, "restic-0.14-restore-unknown.stderr", ErrNoSnapshot, `invalid id "deadbeef": no matching ID found for prefix "deadbeef"`},
		{"0.14 partial", 3, "restic-0.14-backup-partial.stderr", ErrPartial, "Warning: at least one source file could not be read"},
		{"0.18 wrong password, JSON exit error", 12, "restic-0.18-wrong-password.stderr", ErrWrongPassword, "wrong password or no key found"},
		{"0.18 no repository", 10, "restic-0.18-no-repository.stderr", ErrNoRepository, "repository does not exist: unable to open config file: stat /srv/repo/config: no such file or directory"},
		{"code 11 is a lock whatever the text", 11, "Fatal: unable to create lock in backend", ErrLocked, "unable to create lock in backend"},
		{"code 10 is no repository", 10, "Fatal: something", ErrNoRepository, "something"},
		{"code 130 is cancelled", 130, "signal interrupt received, cleaning up", context.Canceled, "signal interrupt received, cleaning up"},
		{"unknown code is a plain failure", 2, "panic: runtime error: index out of range", nil, "panic: runtime error: index out of range"},
		{"code 1 plain failure", 1, "Fatal: unable to save snapshot: snapshot is empty", nil, "unable to save snapshot: snapshot is empty"},
		{"status lines are skipped", 1, `{"message_type":"status","percent_done":0.5}` + "\nFatal: boom here", nil, "boom here"},
		{"JSON error when nothing else", 1, `{"message_type":"error","error":{"message":"read failed"},"item":"/x"}`, nil, "/x: read failed"},
		{"empty stderr", 1, "", nil, ""},
		{"words in a file name do not classify", 1, `{"message_type":"error","error":{"message":"open /x/wrong password.txt: is there a repository at the following location?"},"item":"/x/wrong password.txt"}` + "\nFatal: unable to save snapshot: disk full\n", nil,
			"unable to save snapshot: disk full"},
		{"the line before Fatal comes along", 1, "subprocess ssh: @@@@@\nsubprocess ssh: Host key verification failed.\nFatal: unable to open repository at sftp:u@h:/r: EOF\n", nil,
			"unable to open repository at sftp:u@h:/r: EOF (subprocess ssh: Host key verification failed.)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stderr := []byte(tt.stderr)
			if strings.HasPrefix(tt.stderr, "restic-") && !strings.Contains(tt.stderr, " ") {
				stderr = fixture(t, tt.stderr)
			}
			err := exitErr(result{code: tt.code, stderr: stderr}, &redactor{})
			var ee *ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("err %v is no *ExitError", err)
			}
			if ee.Code != tt.code || ee.Message != tt.msg {
				t.Errorf("code %d message %q; want %d %q", ee.Code, ee.Message, tt.code, tt.msg)
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("%v does not wrap %v", err, tt.kind)
			}
			for _, s := range []error{ErrPartial, ErrNoRepository, ErrWrongPassword, ErrLocked, ErrNoSnapshot, context.Canceled} {
				if s != tt.kind && errors.Is(err, s) {
					t.Errorf("%v wraps %v too", err, s)
				}
			}
		})
	}
	if exitErr(result{code: 0, stderr: []byte("Fatal: x")}, &redactor{}) != nil {
		t.Error("exit code 0 is an error")
	}
}

func TestLongMessageRedactedBeforeCut(t *testing.T) {
	repo := Repo{URL: "/r", Password: "sécret-password-that-straddles-the-cut"}
	stderr := "Fatal: " + strings.Repeat("é", (maxMessage-10)/2) + repo.Password + " end\n"
	err := exitErr(result{code: 1, stderr: []byte(stderr)}, newRedactor(repo))
	msg := err.(*ExitError).Message
	if strings.Contains(msg, "sécret") || len(msg) > maxMessage+len("…") || !utf8.ValidString(msg) {
		t.Errorf("message of %d bytes leaks part of the password or is cut inside a rune: …%q", len(msg), msg[len(msg)-40:])
	}
}

func TestRedactor(t *testing.T) {
	repo := Repo{
		URL:      "rest:https://backup:url-secret-9@rest.example:8000/repo",
		Password: "hunter2-password",
		Env:      map[string]string{"AWS_SECRET_ACCESS_KEY": "aws-secret-value", "B2_ACCOUNT_KEY": "aws-secret"},
	}
	r := newRedactor(repo)
	in := "Fatal: key hunter2-password rejected; aws-secret-value and aws-secret; " + repo.URL
	got := r.String(in)
	for _, secret := range []string{"hunter2-password", "aws-secret", "url-secret-9"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q still holds %q", got, secret)
		}
	}
	// The longer value wins over its prefix, and names are given instead.
	want := "Fatal: key <RESTIC_PASSWORD> rejected; <AWS_SECRET_ACCESS_KEY> and <B2_ACCOUNT_KEY>; rest:https://backup:<password in the repository URL>@rest.example:8000/repo"
	if got != want {
		t.Errorf("redacted\n got %q\nwant %q", got, want)
	}
	err := opError(repo, "snapshots", errors.New("boom"))
	if strings.Contains(err.Error(), "url-secret-9") {
		t.Errorf("opError leaks the URL password: %v", err)
	}
}
