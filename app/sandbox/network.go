package sandbox

import (
	"context"
	"fmt"
	"hash/fnv"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/transport"
)

// Targets are what the sandbox's network stands in for: the state's
// monitors' targets, by host:port, and its zones.
type Targets struct {
	// Sites are the websites' hosts with the texts their pages must
	// contain (the http monitors' "body contains").
	Sites map[string][]string
	// SeedDown are hosts of website monitors; the first is seeded down
	// (503) when web.json is first written.
	SeedDown []string
	// HTTP and HTTPS are the host:port the website fake answers in plain
	// http and in https, besides every host's :80 and :443.
	HTTP, HTTPS []string
	// Open are the host:port the tcp monitors declare: they accept.
	Open []string
	// Zones are the zones and the provider holding each, by name.
	Zones map[string]string
	// Mail are the host:port the state's mail accounts name: the mailbox
	// fake answers them, in implicit TLS, or in plain with STARTTLS on
	// port 143. None: no mailbox fake is started.
	Mail []string
	// MailSeeds are the messages (whole RFC 5322 messages) the INBOX is
	// seeded with when DIR/mailbox does not exist yet; nil seeds none.
	MailSeeds func() [][]byte
	// MailLogins are the user/password pairs the mailbox fake accepts.
	MailLogins map[string]string
}

// sbnet is the sandbox's network once started.
type sbnet struct {
	t    Targets
	web  *web
	open net.Listener
	ca   *ca
	mail *mailFake // nil when t.Mail is empty

	mu    sync.Mutex
	zones map[string][]providers.Record // observed once per run
}

// Network is the network the sandbox's world is reached through, started
// once (later calls return the same): it connects to loopback only
// (transport.LoopbackOnly). A loopback target is dialled as it is; any
// other host:port is answered by a fake: :80 and t.HTTP by the website
// fake in plain http, :443 and t.HTTPS by it in https (a leaf for the
// name, signed by the sandbox CA in dir/ca.pem, which RootCAs trusts),
// t.Open by a listener that accepts, t.Mail by the mailbox fake (an
// IMAP server on DIR/mailbox: implicit TLS, or STARTTLS on port 143, with
// a leaf for the name dialled); every other port refuses the connection,
// as a closed port does. Names resolve from the zones of the
// sandbox's DNS fakes (CNAMEs followed); a name of a sandbox zone without
// records there does not exist, and a name in no sandbox zone resolves to
// a stand-in address of 192.0.2.0/24 (outsideAddr). A resolver on loopback is asked as it is.
func (s *Sandbox) Network(t Targets) (transport.Network, error) {
	if s.net == nil {
		c, err := loadCA(s.dir)
		if err != nil {
			return transport.Network{}, err
		}
		w, err := startWeb(s.dir, c, t.Sites, t.SeedDown)
		if err != nil {
			return transport.Network{}, err
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			w.close()
			return transport.Network{}, fmt.Errorf("sandbox: %w", err)
		}
		var mf *mailFake
		if len(t.Mail) > 0 {
			if mf, err = startMail(s.MailboxDir(), c, t.MailSeeds, t.MailLogins); err != nil {
				w.close()
				l.Close()
				return transport.Network{}, err
			}
		}
		go acceptAndClose(l)
		s.net = &sbnet{t: t, web: w, open: l, ca: c, mail: mf, zones: map[string][]providers.Record{}}
	}
	n := s.net
	guard := transport.LoopbackOnly(nil)
	return transport.Network{
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil || transport.IsLoopback(host) {
				return guard(ctx, network, addr)
			}
			to, err := n.standIn(strings.ToLower(strings.TrimSuffix(host, ".")), port)
			if err != nil {
				return nil, err
			}
			return guard(ctx, network, to)
		},
		Lookup: func(ctx context.Context, resolver, host string) ([]netip.Addr, error) {
			if resolver != "" {
				if h, _, err := net.SplitHostPort(resolver); err == nil && transport.IsLoopback(h) {
					return transport.Network{Dial: guard}.LookupIP(ctx, resolver, host)
				}
			}
			return s.lookup(ctx, host)
		},
		RootCAs: n.ca.pool(),
	}, nil
}

// standIn is the loopback address answering for host:port.
func (n *sbnet) standIn(host, port string) (string, error) {
	hp := net.JoinHostPort(host, port)
	switch {
	case n.mail != nil && slices.ContainsFunc(n.t.Mail, func(m string) bool { return sameHostPort(m, hp) }):
		if port == "143" {
			return n.mail.plainAddr, nil
		}
		return n.mail.tlsAddr, nil
	case slices.Contains(n.t.HTTPS, hp) || port == "443":
		return n.web.httpsAddr, nil
	case slices.Contains(n.t.HTTP, hp) || port == "80":
		return n.web.httpAddr, nil
	case slices.Contains(n.t.Open, hp):
		return n.open.Addr().String(), nil
	}
	return "", &net.OpError{Op: "dial", Net: "tcp", Addr: fakeAddr(hp),
		Err: fmt.Errorf("sandbox: nothing listens on %s: %w", hp, syscall.ECONNREFUSED)}
}

// sameHostPort reports whether target (as the state spells it) is hp (a
// lowercase name without its final dot).
func sameHostPort(target, hp string) bool {
	h, p, err := net.SplitHostPort(target)
	return err == nil && net.JoinHostPort(strings.ToLower(strings.TrimSuffix(h, ".")), p) == hp
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }

func acceptAndClose(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// maxCNAMEs bounds a chain of CNAMEs followed by lookup.
const maxCNAMEs = 8

// lookup answers host's A and AAAA from the sandbox's zones.
func (s *Sandbox) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, err := netip.ParseAddr(name); err == nil {
		return []netip.Addr{ip}, nil
	}
	for range maxCNAMEs {
		recs, err := s.records(ctx, name)
		if err != nil {
			return nil, &net.DNSError{Err: err.Error(), Name: host}
		}
		var out []netip.Addr
		next := ""
		for _, r := range recs {
			switch r.Type {
			case "A", "AAAA":
				if ip, err := netip.ParseAddr(r.Content); err == nil {
					out = append(out, ip)
				}
			case "CNAME":
				next = r.Content
			}
		}
		if len(out) > 0 {
			return out, nil
		}
		if next == "" && !s.inZones(name) {
			return []netip.Addr{outsideAddr(name)}, nil
		}
		if next == "" {
			return nil, &net.DNSError{Err: "no such host in the sandbox's zone", Name: host, IsNotFound: true}
		}
		name = next
	}
	return nil, &net.DNSError{Err: "too many CNAMEs", Name: host}
}

// inZones reports whether one of the sandbox's zones holds name.
func (s *Sandbox) inZones(name string) bool {
	for z := range s.net.t.Zones {
		if name == z || strings.HasSuffix(name, "."+z) {
			return true
		}
	}
	return false
}

// outsideAddr stands in for a name beyond the sandbox's zones (the mail
// provider's MX, a CDN): an address of the documentation range
// 192.0.2.0/24, the same for the same name on every run, so that a monitor
// of a third party's host sees it resolve as it does on the internet.
func outsideAddr(name string) netip.Addr {
	h := fnv.New32a()
	h.Write([]byte(name))
	return netip.AddrFrom4([4]byte{192, 0, 2, byte(1 + h.Sum32()%254)})
}

// records are name's records in the sandbox zone holding it (the longest
// suffix); none when no zone holds it.
func (s *Sandbox) records(ctx context.Context, name string) ([]providers.Record, error) {
	zone := ""
	for z := range s.net.t.Zones {
		if (name == z || strings.HasSuffix(name, "."+z)) && len(z) > len(zone) {
			zone = z
		}
	}
	if zone == "" {
		return nil, nil
	}
	s.net.mu.Lock()
	defer s.net.mu.Unlock()
	all, ok := s.net.zones[zone]
	if !ok {
		p, isDNS := s.Providers[s.net.t.Zones[zone]].(providers.DNS)
		if !isDNS {
			return nil, nil
		}
		obs, err := p.Observe(ctx, zone)
		if err != nil {
			return nil, fmt.Errorf("sandbox: zone %s: %w", zone, err)
		}
		all = obs.Records
		s.net.zones[zone] = all
	}
	rel := "@"
	if name != zone {
		rel = strings.TrimSuffix(name, "."+zone)
	}
	var out []providers.Record
	for _, r := range all {
		if r.Name == rel {
			out = append(out, r)
		}
	}
	return out, nil
}

func (n *sbnet) close() {
	n.web.close()
	n.open.Close()
	if n.mail != nil {
		n.mail.close()
	}
}
