package remote

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocalRun(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "hostname"), []byte("nas01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := Local{Root: root}
	tests := []struct {
		name, cmd   string
		stdin       []byte
		out, errOut string
		code        int
	}{
		{"root prefix", `cat "${ITLAG_ROOT}/etc/hostname"`, nil, "nas01\n", "", 0},
		{"working dir is root", `cat etc/hostname`, nil, "nas01\n", "", 0},
		{"exit code", `echo oops >&2; exit 3`, nil, "", "oops\n", 3},
		{"stdin", `tr a-z A-Z`, []byte("hello"), "HELLO", "", 0},
		{"sh semantics", `a=1; [ "$a" = 1 ] && echo "it's $a"`, nil, "it's 1\n", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := l.Run(context.Background(), tt.cmd, tt.stdin)
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Stdout) != tt.out || string(res.Stderr) != tt.errOut || res.ExitCode != tt.code {
				t.Errorf("got out %q err %q code %d, want %q %q %d",
					res.Stdout, res.Stderr, res.ExitCode, tt.out, tt.errOut, tt.code)
			}
		})
	}
}

func TestLocalRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Local{Root: t.TempDir()}).Run(ctx, "true", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestLocalFiles(t *testing.T) {
	root := t.TempDir()
	l := Local{Root: root}
	ctx := context.Background()
	if err := os.Mkdir(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}

	if _, _, err := l.ReadFile(ctx, "/etc/crontab"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	if err := l.WriteFile(ctx, "/etc/crontab", []byte("v1\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/crontab"+PrevSuffix)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a previous version was kept for a new file: %v", err)
	}
	if err := l.WriteFile(ctx, "/etc/crontab", []byte("v2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, mode, err := l.ReadFile(ctx, "/etc/crontab")
	if err != nil || string(data) != "v2\n" || mode != 0o600 {
		t.Errorf("ReadFile = %q %v %v, want v2 0600", data, mode, err)
	}
	prev, pmode, err := l.ReadFile(ctx, "/etc/crontab"+PrevSuffix)
	if err != nil || string(prev) != "v1\n" || pmode != 0o640 {
		t.Errorf("previous = %q %v %v, want v1 0640", prev, pmode, err)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "etc"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "crontab crontab"+PrevSuffix {
		t.Errorf("etc holds %q: temporary files left behind?", got)
	}
}

func TestLocalRefusesEscapes(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, "secret"), []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(parent, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	l := Local{Root: root}
	ctx := context.Background()
	for _, p := range []string{"/../secret", "/etc/../../secret", "relative/path", "/link/secret"} {
		if data, _, err := l.ReadFile(ctx, p); err == nil {
			t.Errorf("ReadFile(%q) = %q, want refused", p, data)
		}
		if err := l.WriteFile(ctx, p, []byte("x"), 0o644); err == nil {
			t.Errorf("WriteFile(%q) accepted", p)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(parent, "secret")); string(data) != "outside" {
		t.Errorf("file outside the root changed: %q", data)
	}
	// ".." that stays inside the root is fine.
	if err := l.WriteFile(ctx, "/a/../b", []byte("in"), 0o644); err != nil {
		t.Errorf("WriteFile(/a/../b): %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "b")); string(data) != "in" {
		t.Errorf("/a/../b wrote %q to Root/b", data)
	}
}
