package transport

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// DialFunc opens a connection to addr (host:port) on network ("tcp",
// "udp"), as net.Dialer.DialContext does.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// LookupFunc resolves host to its addresses, asking resolver (host:port)
// or, when resolver is "", the system's resolver.
type LookupFunc func(ctx context.Context, resolver, host string) ([]netip.Addr, error)

// Network is how a component reaches other machines: every probe, audit,
// alert and push dials, resolves and verifies certificates through the
// one the runtime hands it. The zero Network is the real one (net.Dialer,
// the system's resolver and roots); the sandbox's reaches only loopback.
type Network struct {
	// Dial opens connections; nil is a net.Dialer.
	Dial DialFunc
	// Lookup resolves names; nil is the system's resolver (or a Go
	// resolver asking the given one over Dial).
	Lookup LookupFunc
	// RootCAs verify certificates; nil is the system's roots.
	RootCAs *x509.CertPool
}

// DialContext dials through n.Dial, or a net.Dialer.
func (n Network) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if n.Dial != nil {
		return n.Dial(ctx, network, addr)
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

// LookupIP resolves host through n.Lookup, or the way the zero Network
// does: the system's resolver, or resolver (host:port) asked over
// n.DialContext.
func (n Network) LookupIP(ctx context.Context, resolver, host string) ([]netip.Addr, error) {
	if n.Lookup != nil {
		return n.Lookup(ctx, resolver, host)
	}
	res := net.DefaultResolver
	if resolver != "" {
		res = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return n.DialContext(ctx, network, resolver)
		}}
	}
	return res.LookupNetIP(ctx, "ip", host)
}

// ErrNotLoopback is why a loopback-only network refuses a connection.
var ErrNotLoopback = errors.New("only loopback is reached under --sandbox")

// LoopbackOnly is dial (nil: a net.Dialer) refusing, before any packet
// is sent, every address whose host is not a loopback address (127.0.0.0/8,
// ::1; the name "localhost" is dialled as 127.0.0.1). Any other name is
// refused too: nothing is resolved through the system's resolver. The
// error wraps ErrNotLoopback: "sandbox: refusing to connect to
// 1.2.3.4:443: only loopback is reached under --sandbox".
func LoopbackOnly(dial DialFunc) DialFunc {
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("sandbox: refusing to connect to %q: %w", addr, err)
		}
		if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
			return dial(ctx, network, net.JoinHostPort("127.0.0.1", port))
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Unmap().IsLoopback() {
			return nil, fmt.Errorf("sandbox: refusing to connect to %s: %w", addr, ErrNotLoopback)
		}
		return dial(ctx, network, addr)
	}
}
