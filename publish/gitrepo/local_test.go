package gitrepo

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
)

func TestRequireLocalRemote(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"/srv/git/infra.git", true},
		{"../infra.git", true},
		{"file:///srv/git/infra.git", true},
		{"http://127.0.0.1:8080/infra.git", true},
		{"ssh://git@[::1]:2222/infra.git", true},
		{"https://x-access-token:s3cret@github.com/lagrieta/infra.git", false},
		{"git@github.com:lagrieta/infra.git", false},
		{"ssh://git@10.0.0.5/infra.git", false},
		{"git://example.org/infra.git", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			dir := t.TempDir()
			repo, err := git.PlainInit(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{tt.url}}); err != nil {
				t.Fatal(err)
			}
			err = RequireLocalRemote(dir, "origin")
			if tt.ok != (err == nil) {
				t.Fatalf("RequireLocalRemote(%s) = %v, want ok=%v", tt.url, err, tt.ok)
			}
			if err != nil && (!errors.Is(err, ErrNotLocal) || strings.Contains(err.Error(), "s3cret")) {
				t.Errorf("error %v", err)
			}
		})
	}
}
