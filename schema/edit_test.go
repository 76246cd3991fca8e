package schema

import (
	"errors"
	"testing"
)

// TestSetScalar: only the value's bytes change, whatever its style.
func TestSetScalar(t *testing.T) {
	path := []string{"nas", "office", "host_key"}
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"plain with comment", "# top\nnas:\n  office:\n    host_key: pending   # pin it\n    port: 22\n",
			"# top\nnas:\n  office:\n    host_key: \"ssh-ed25519 AAAA\"   # pin it\n    port: 22\n", nil},
		{"double quoted", "nas:\n  office: {host: x, host_key: \"SHA256:a#b\"}  # c\n",
			"nas:\n  office: {host: x, host_key: \"ssh-ed25519 AAAA\"}  # c\n", nil},
		{"single quoted", "nas:\n  office:\n    host_key: 'it''s'\n",
			"nas:\n  office:\n    host_key: \"ssh-ed25519 AAAA\"\n", nil},
		{"absent", "nas:\n  home:\n    host_key: pending\n", "", ErrNoSuchField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SetScalar([]byte(tt.in), path, "ssh-ed25519 AAAA")
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
