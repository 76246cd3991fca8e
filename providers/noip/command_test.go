package noip

import (
	"context"
	"errors"
	"testing"
)

func TestFirstAddress(t *testing.T) {
	tests := []struct{ out, want string }{
		{"203.0.113.7\n", "203.0.113.7"},
		{"3: ppp0    inet 203.0.113.7/32 scope global ppp0\\       valid_lft forever preferred_lft forever\n", "203.0.113.7"},
		{"ppp0: flags=4305<UP,POINTOPOINT,RUNNING>  mtu 1492\n        inet 203.0.113.7  netmask 255.255.255.255  destination 10.64.64.64\n", "203.0.113.7"},
		{"ppp0      Link encap:Point-to-Point Protocol\n          inet addr:203.0.113.7  P-t-P:10.64.64.64  Mask:255.255.255.255\n", "203.0.113.7"},
		{"Device \"ppp0\" does not exist.\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		ip, ok := firstAddress(tt.out)
		got := ""
		if ok {
			got = ip.String()
		}
		if got != tt.want {
			t.Errorf("firstAddress(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestCommandOnce(t *testing.T) {
	ctx := context.Background()
	run := func(out string, err error) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return out, err }
	}
	if ip, err := commandOnce(ctx, run("inet 203.0.113.7/32", nil)); err != nil || ip.String() != "203.0.113.7" {
		t.Errorf("public address: %v, %v", ip, err)
	}
	if _, err := commandOnce(ctx, run("inet 192.168.1.10/24", nil)); err == nil {
		t.Error("a private address (a NAS behind NAT) must not count as the public one")
	}
	if _, err := commandOnce(ctx, run("", errors.New("exit 1: ip: not found"))); err == nil {
		t.Error("a failing command must fail the source")
	}
	if _, err := commandOnce(ctx, run("garbage", nil)); err == nil {
		t.Error("output without an address must fail the source")
	}
}

// TestCommandSourceObserved: a command on the NAS counts as an IP source
// beside the URLs: when they agree the host follows, when they disagree it
// is held.
func TestCommandSourceObserved(t *testing.T) {
	ctx := context.Background()
	nasSays := "inet 203.0.113.50/32"
	cmd := map[string]func(context.Context) (string, error){
		"nas:office ppp0": func(context.Context) (string, error) { return nasSays, nil },
	}
	p := &Provider{v4src: nil, cmdsrc: cmd}
	pub, err := p.lookupPublic(ctx, "noip")
	if err != nil || !pub.agree || pub.addr.v4.String() != "203.0.113.50" {
		t.Fatalf("command only: %+v, %v", pub, err)
	}
	nasSays = "203.0.113.99"
	p.cmdsrc["nas:office other"] = func(context.Context) (string, error) { return "203.0.113.50", nil }
	pub, err = p.lookupPublic(ctx, "noip")
	if err != nil || pub.agree || pub.held == "" {
		t.Fatalf("two command sources disagreeing: %+v, %v; want held", pub, err)
	}
}
