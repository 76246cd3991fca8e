package incidents

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Incidents are not read through a symlink: neither a symlinked incidents/
// directory nor a symlinked incident file (which could point at a key).
func TestLoadRefusesSymlinks(t *testing.T) {
	tests := []struct {
		name string
		link func(root, repo string) error
	}{
		{"directory", func(root, repo string) error {
			return os.Symlink(filepath.Join(root, "outside"), filepath.Join(repo, Dir))
		}},
		{"file", func(root, repo string) error {
			if err := os.Mkdir(filepath.Join(repo, Dir), 0o755); err != nil {
				return err
			}
			return os.Symlink(filepath.Join(root, "outside", "2026-01-01-x-000000.md"), filepath.Join(repo, Dir, "2026-01-01-x-000000.md"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			repo := filepath.Join(root, "repo")
			for _, d := range []string{repo, filepath.Join(root, "outside")} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(root, "outside", "2026-01-01-x-000000.md"), []byte("-----BEGIN OPENSSH PRIVATE KEY-----\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := tt.link(root, repo); err != nil {
				t.Fatal(err)
			}
			_, err := Load(repo)
			if err == nil || !strings.Contains(err.Error(), "symlink") || strings.Contains(err.Error(), "PRIVATE") {
				t.Fatalf("Load() = %v, want a refusal naming the symlink", err)
			}
		})
	}
}
