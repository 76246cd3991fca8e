// Package transporttest gives tests TCP ports on loopback: one that
// accepts, one that refuses.
package transporttest

import (
	"net"
)

// OpenPort listens on 127.0.0.1 (a free port) and accepts every
// connection, closing it at once, until the listener is closed: an open
// port for a probe or an exposure check.
func OpenPort() (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l, nil
}

// ClosedPort is an address on 127.0.0.1 nothing listens on (a port just
// freed): a connection to it is refused.
func ClosedPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}
