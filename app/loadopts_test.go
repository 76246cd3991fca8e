package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDNS writes a small valid state with one zone file into a new
// directory and returns it.
func writeDNS(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	dns := "zones:\n  - name: example.org\n    provider: cloudflare\n    records:\n      - {name: \"@\", type: A, value: 192.0.2.10}\n"
	if err := os.WriteFile(filepath.Join(dir, "dns.yaml"), []byte(dns), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Options.MaxStateFile reaches the schema: a file over it is a problem of
// an invalid state, naming the file and the limit.
func TestLoadMaxStateFile(t *testing.T) {
	dir := writeDNS(t)
	tests := []struct {
		name string
		max  int64
		want string // a problem; "" is valid
	}{
		{name: "default", max: 0},
		{name: "over", max: 64, want: filepath.Join(dir, "dns.yaml") + ": is 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadContext(context.Background(), Options{StateDir: dir, MaxStateFile: tt.max})
			v := ValidateContext(context.Background(), Options{StateDir: dir, MaxStateFile: tt.max})
			if tt.want == "" {
				if err != nil || !v.Valid {
					t.Fatalf("LoadContext() = %v; ValidateContext() = %+v, want valid", err, v)
				}
				return
			}
			var ie *InvalidError
			if !errors.As(err, &ie) || len(ie.Problems) != 1 || !strings.HasPrefix(ie.Problems[0].String(), tt.want) || !strings.Contains(ie.Problems[0].String(), "over the limit of 64 bytes") {
				t.Errorf("LoadContext() = %v, want one problem %q... over the limit of 64 bytes", err, tt.want)
			}
			if v.Valid || len(v.Problems) != 1 || !strings.HasPrefix(v.Problems[0], tt.want) {
				t.Errorf("ValidateContext() = %+v, want one problem %q...", v, tt.want)
			}
		})
	}
}

// A validation whose context has ended (a signal, a --timeout) says the
// load was interrupted and why.
func TestValidateContextInterrupted(t *testing.T) {
	dir := writeDNS(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("terminated signal received"))
	v := ValidateContext(ctx, Options{StateDir: dir})
	want := "loading " + dir + ": interrupted: terminated signal received"
	if v.Valid || len(v.Problems) != 1 || v.Problems[0] != want {
		t.Errorf("ValidateContext() = %+v, want the problem %q", v, want)
	}
}
