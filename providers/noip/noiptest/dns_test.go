package noiptest_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/lagrieta/itlag/providers/noip/noiptest"
)

func TestServeDNS(t *testing.T) {
	s := noiptest.NewServer(noiptest.Options{})
	defer s.Close()
	s.AddHost("office.ddns.net", "203.0.113.9")
	d, err := s.ServeDNS()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var dl net.Dialer
		return dl.DialContext(ctx, "udp", d.Addr())
	}}
	got, err := r.LookupNetIP(context.Background(), "ip4", "office.ddns.net")
	if err != nil || len(got) != 1 || got[0].String() != "203.0.113.9" {
		t.Fatalf("lookup = %v, %v; want 203.0.113.9", got, err)
	}
	s.AddHost("office.ddns.net", "203.0.113.10")
	if got, _ := r.LookupNetIP(context.Background(), "ip4", "office.ddns.net"); len(got) != 1 || got[0].String() != "203.0.113.10" {
		t.Fatalf("after an update: %v", got)
	}
	_, err = r.LookupNetIP(context.Background(), "ip4", "nothere.ddns.net")
	var de *net.DNSError
	if !errors.As(err, &de) || !de.IsNotFound {
		t.Fatalf("unknown name: %v, want not found", err)
	}
}
