package textdiff

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, diff, want string
	}{
		{name: "empty", diff: "", want: ""},
		{
			name: "keeps headers and counts",
			diff: Unified("/etc/secret.env", "/etc/secret.env", "USER=a\nPASS=hunter2\n", "USER=a\nPASS=correct-horse\n", 3),
			want: "--- /etc/secret.env\n+++ /etc/secret.env\n@@ -1,2 +1,2 @@\n <redacted>\n-<redacted>\n+<redacted>\n",
		},
		{
			name: "keeps no-newline marker",
			diff: Unified("f", "f", "k=1", "k=2", 0),
			want: "--- f\n+++ f\n@@ -1 +1 @@\n-<redacted>\n" + NoNewline + "\n+<redacted>\n" + NoNewline + "\n",
		},
		{
			name: "content that looks like headers",
			diff: Unified("f", "f", "-- x\n++ y\n", "@@ -1 +1 @@\n--- z\n", 0),
			want: "--- f\n+++ f\n@@ -1,2 +1,2 @@\n-<redacted>\n-<redacted>\n+<redacted>\n+<redacted>\n",
		},
		{
			name: "two hunks",
			diff: Unified("f", "f", seq(1, 10), strings.Replace(strings.Replace(seq(1, 10), "2\n", "two\n", 1), "9\n", "nine\n", 1), 1),
			want: "--- f\n+++ f\n@@ -1,3 +1,3 @@\n <redacted>\n-<redacted>\n+<redacted>\n <redacted>\n@@ -8,3 +8,3 @@\n <redacted>\n-<redacted>\n+<redacted>\n <redacted>\n",
		},
		{
			name: "stray text is redacted whole",
			diff: "--- f\n+++ f\nsecret\n@@ -1 +1 @@\n-a\n+b\n+overflow\n@@ nonsense @@\n",
			want: "--- f\n+++ f\n<redacted>\n@@ -1 +1 @@\n-<redacted>\n+<redacted>\n<redacted>\n<redacted>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.diff); got != tt.want {
				t.Fatalf("Redact:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestRedactHidesSecrets(t *testing.T) {
	secret := "s3cr3t-value"
	d := Unified("f", "f", "a\n"+secret+"\nb\n", "a\nb\n--- "+secret+"\n", 3)
	if !strings.Contains(d, secret) {
		t.Fatal("test diff should carry the secret before redaction")
	}
	if r := Redact(d); strings.Contains(r, secret) {
		t.Fatalf("secret survived redaction:\n%s", r)
	}
}
