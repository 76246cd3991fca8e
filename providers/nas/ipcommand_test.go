package nas

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

func TestIPCommand(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	fakeIP := "#!/bin/sh\n[ \"$6\" = ppp0 ] || { echo \"Device $6 does not exist.\" >&2; exit 1; }\necho '3: ppp0    inet 203.0.113.7/32 scope global ppp0'\n"
	if err := os.WriteFile(filepath.Join(root, "bin", "ip"), []byte(fakeIP), 0o755); err != nil {
		t.Fatal(err)
	}
	dials := 0
	dial := func(context.Context) (remote.Transport, error) { dials++; return remote.Local{Root: root}, nil }
	ctx := context.Background()

	name, run := IPCommand("office", "ppp0", "", dial)
	out, err := run(ctx)
	if name != "nas:office ppp0" || err != nil || !strings.Contains(out, "inet 203.0.113.7/32") {
		t.Fatalf("interface: %q, %q, %v", name, out, err)
	}
	if _, run := IPCommand("office", "eth9", "", dial); true {
		if _, err := run(ctx); err == nil || !strings.Contains(err.Error(), "exited") {
			t.Errorf("a missing interface: %v, want the exit status and stderr", err)
		}
	}
	name, run = IPCommand("office", "", "echo 203.0.113.8", dial)
	if out, err := run(ctx); name != "nas:office echo 203.0.113.8" || err != nil || strings.TrimSpace(out) != "203.0.113.8" {
		t.Errorf("command: %q, %q, %v", name, out, err)
	}
	if dials != 3 {
		t.Errorf("%d dials, want one per run", dials)
	}
}
