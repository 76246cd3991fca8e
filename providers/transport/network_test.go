package transport

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers/transport/transporttest"
)

func TestLoopbackOnly(t *testing.T) {
	l, err := transporttest.OpenPort()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	var dialled []string
	spy := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	dial := LoopbackOnly(spy)
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:" + port, true},
		{"localhost:" + port, true},
		{"1.2.3.4:443", false},
		{"[2001:db8::1]:443", false},
		{"lagrieta.es:443", false},
		{"127.0.0.1.example.com:443", false},
		{"10.0.0.1:22", false},
		{"no-port", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			dialled = nil
			c, err := dial(context.Background(), "tcp", tt.addr)
			if tt.ok {
				if err != nil {
					t.Fatalf("dial %s: %v", tt.addr, err)
				}
				c.Close()
				return
			}
			if err == nil {
				c.Close()
				t.Fatalf("dial %s: connected, want a refusal", tt.addr)
			}
			if len(dialled) > 0 {
				t.Errorf("dial %s reached the dialer (%v): the refusal must come first", tt.addr, dialled)
			}
			if tt.addr != "no-port" && (!errors.Is(err, ErrNotLoopback) || !strings.Contains(err.Error(), "sandbox: refusing to connect to "+tt.addr)) {
				t.Errorf("dial %s: %v", tt.addr, err)
			}
		})
	}
}
