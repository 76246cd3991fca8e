package noiptest

import (
	"context"
	"errors"
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// DNS answers A and AAAA queries over UDP on 127.0.0.1 from a Server's
// hosts, as NoIP's own name servers would: the state's "resolver" can point
// at it (end-to-end tests), so no lookup leaves the machine. Unknown names
// get NXDOMAIN.
type DNS struct {
	conn net.PacketConn
	srv  *Server
	done chan struct{}
}

// ServeDNS starts a DNS responder for s. Close it when done.
func (s *Server) ServeDNS() (*DNS, error) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &DNS{conn: conn, srv: s, done: make(chan struct{})}
	go d.serve()
	return d, nil
}

// Addr is the responder's address, "127.0.0.1:PORT".
func (d *DNS) Addr() string { return d.conn.LocalAddr().String() }

// Close stops the responder.
func (d *DNS) Close() error {
	err := d.conn.Close()
	<-d.done
	return err
}

func (d *DNS) serve() {
	defer close(d.done)
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if out, ok := d.answer(buf[:n]); ok {
			d.conn.WriteTo(out, from)
		}
	}
}

// answer builds the reply to one query; ok is false for garbage.
func (d *DNS) answer(q []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(q)
	if err != nil {
		return nil, false
	}
	question, err := p.Question()
	if err != nil {
		return nil, false
	}
	name := strings.TrimSuffix(question.Name.String(), ".")
	addrs, _ := d.srv.Resolver()(context.Background(), name)
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired}
	if len(addrs) == 0 {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	if b.StartQuestions() != nil || b.Question(question) != nil || b.StartAnswers() != nil {
		return nil, false
	}
	rr := dnsmessage.ResourceHeader{Name: question.Name, Class: dnsmessage.ClassINET, TTL: 60}
	for _, a := range addrs {
		switch {
		case question.Type == dnsmessage.TypeA && a.Is4():
			b.AResource(rr, dnsmessage.AResource{A: a.As4()})
		case question.Type == dnsmessage.TypeAAAA && a.Is6() && !a.Is4In6():
			b.AAAAResource(rr, dnsmessage.AAAAResource{AAAA: a.As16()})
		}
	}
	out, err := b.Finish()
	return out, err == nil
}
