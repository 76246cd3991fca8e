package audit

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./publish/audit -update):\n--- got\n%s--- want\n%s", name, got, want)
	}
}

func TestRender(t *testing.T) {
	ts := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	entries := []Entry{
		{Seq: 1, TS: ts, Actor: "ana <ana@example.org>", Action: ActionApprovalUsed, Target: "approvals/abc.yaml",
			Detail: Detail{Checksum: "abc", Rules: []string{"protected"}, Note: "approved by ana@example.org"}, Prev: Genesis},
		{Seq: 2, TS: ts, Actor: "ana <ana@example.org>", Action: ActionApply, Target: "plan:abc",
			Detail: Detail{Checksum: "abc", Outcome: OutcomePartial, Addresses: []string{"cloudflare:example.org/@/A"}, Failed: []string{"cloudflare:example.org/www/CNAME"}}, Prev: "1111"},
		{Seq: 3, TS: ts, Actor: "github:ana", Action: ActionSecretChange, Target: "secrets.age",
			Detail: Detail{Note: "set", Keys: []string{"CLOUDFLARE_API_TOKEN"}, Sandbox: true}, Prev: "2222"},
	}
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"list.txt", func(b *bytes.Buffer) error { return WriteText(b, entries) }},
		{"empty.txt", func(b *bytes.Buffer) error { return WriteText(b, nil) }},
		{"list.json", func(b *bytes.Buffer) error { return WriteJSON(b, entries) }},
		{"verify_ok.txt", func(b *bytes.Buffer) error {
			return WriteVerifyText(b, Summary{Files: 1, Entries: 3, Head: Head{3, "0123456789abcdef"}, Anchored: true, Anchor: Head{3, "0123456789abcdef"}}, nil)
		}},
		{"verify_bad.json", func(b *bytes.Buffer) error {
			return WriteVerifyJSON(b, Summary{Files: 1, Entries: 1, Head: Head{1, "aa"}},
				&VerifyError{File: "audit/2026-12.jsonl", Line: 2, Why: "seq 3, want 2: a line was removed, inserted or reordered"})
		}},
		{"verify_other_error.json", func(b *bytes.Buffer) error {
			return WriteVerifyJSON(b, Summary{}, errors.New("open audit/2026-12.jsonl: too many levels of symbolic links"))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}
