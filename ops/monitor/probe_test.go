package monitor

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/providers/transport/transporttest"
)

// trustedCert and untrustedCert are served by the TLS tests; only the
// first is in roots.
var trustedCert, untrustedCert, expiredCert tls.Certificate

// testNet is the network the probes use: the real one, trusting trustedCert.
var testNet transport.Network

func TestMain(m *testing.M) {
	pool := x509.NewCertPool()
	trustedCert = newCert(pool, time.Now().Add(3*24*time.Hour+time.Hour))
	expiredCert = newCert(pool, time.Now().Add(-49*time.Hour))
	untrustedCert = newCert(nil, time.Now().Add(90*24*time.Hour))
	testNet = transport.Network{RootCAs: pool}
	os.Exit(m.Run())
}

// newCert is a self-signed certificate for 127.0.0.1 expiring at
// notAfter, added to pool when pool is not nil.
func newCert(pool *x509.CertPool, notAfter time.Time) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "itlag monitor test"},
		NotBefore:             time.Now().Add(-30 * 24 * time.Hour),
		NotAfter:              notAfter,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	if pool != nil {
		pool.AddCert(leaf)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func tlsServer(t *testing.T, cert tls.Certificate, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	addr, err := transporttest.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestProbeHTTP(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "status: ok") })
	mux.HandleFunc("/down", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "sorry", http.StatusServiceUnavailable) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // answers only once the probe gave up
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) {
		w.Write(make([]byte, MaxBody)) // the marker lies past the first MB
		fmt.Fprint(w, "ok")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	scenarios := []struct {
		name    string
		path    string
		conds   []string
		timeout time.Duration
		ok      bool
		value   string
		errHas  string
		failHas string
	}{
		{name: "default passes", path: "/ok", ok: true, value: "200"},
		{name: "body contains", path: "/ok", conds: []string{"status == 200", `body contains "ok"`}, ok: true, value: "200"},
		{name: "body lacks", path: "/ok", conds: []string{`body contains "healthy"`}, value: "200", failHas: `body contains "healthy" (got 10 bytes)`},
		{name: "503 fails default", path: "/down", value: "503", failHas: "status < 400 (got 503)"},
		{name: "redirect followed", path: "/moved", conds: []string{"status == 200"}, ok: true, value: "200"},
		{name: "redirect loop stops", path: "/loop", errHas: "stopped after 5 redirects"},
		{name: "timeout", path: "/slow", timeout: 100 * time.Millisecond, errHas: "deadline exceeded", failHas: "status < 400 (got no response)"},
		{name: "body read up to 1 MB", path: "/big", conds: []string{`body contains "ok"`}, value: "200", failHas: "(got 1048576 bytes)"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			m := Monitor{Name: sc.name, Kind: HTTP, Target: srv.URL + sc.path, Conditions: MustParseConditions(sc.conds...), Timeout: sc.timeout}
			r := Probe(context.Background(), testNet, m)
			if r.OK != sc.ok || r.Value != sc.value || r.Monitor != sc.name {
				t.Fatalf("OK %v value %q monitor %q, want %v %q %q (%+v)", r.OK, r.Value, r.Monitor, sc.ok, sc.value, sc.name, r)
			}
			if !strings.Contains(r.Error, sc.errHas) || (sc.errHas == "") != (r.Error == "") {
				t.Fatalf("error %q, want %q", r.Error, sc.errHas)
			}
			if sc.failHas != "" && !strings.Contains(strings.Join(r.Failed, "\n"), sc.failHas) {
				t.Fatalf("failed %q, want %q", r.Failed, sc.failHas)
			}
			if sc.ok && (len(r.Failed) > 0 || !r.Connected || r.Duration <= 0 || r.At.IsZero()) {
				t.Fatalf("passing result %+v", r)
			}
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		r := Probe(context.Background(), testNet, Monitor{Name: "gone", Kind: HTTP, Target: "http://" + closedPort(t) + "/"})
		if r.OK || r.Connected || !strings.Contains(r.Error, "refused") {
			t.Fatalf("%+v", r)
		}
	})
}

func TestProbeHTTPSCertExpiry(t *testing.T) {
	srv := tlsServer(t, trustedCert, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	m := Monitor{Name: "site", Kind: HTTP, Target: srv.URL, Conditions: MustParseConditions("status == 200", "cert_expiry > 14d")}
	r := Probe(context.Background(), testNet, m)
	if r.OK || r.Error != "" || len(r.Failed) != 1 || r.Failed[0] != "cert_expiry > 14d (got 3d)" {
		t.Fatalf("%+v", r)
	}
}

func TestProbeTLS(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	soon := tlsServer(t, trustedCert, h).Listener.Addr().String()
	untrusted := tlsServer(t, untrustedCert, h).Listener.Addr().String()
	expired := tlsServer(t, expiredCert, h).Listener.Addr().String()
	scenarios := []struct {
		name, target string
		conds        []string
		ok           bool
		value        string
		errHas       string
		failHas      string
	}{
		{name: "3 days left fails default 14d", target: soon, value: "3d", failHas: "cert_expiry > 14d (got 3d)"},
		{name: "3 days left passes 2d", target: soon, conds: []string{"cert_expiry > 2d"}, ok: true, value: "3d"},
		{name: "untrusted", target: untrusted, conds: []string{"connected == true"}, value: "89d", errHas: "certificate: x509: certificate signed by unknown authority"},
		{name: "expired", target: expired, value: "-2d", errHas: "expired", failHas: "(got -2d)"},
		{name: "closed port", target: closedPort(t), errHas: "refused", failHas: "connected == true (got false)"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			r := Probe(context.Background(), testNet, Monitor{Name: "tls", Kind: TLS, Target: sc.target, Conditions: MustParseConditions(sc.conds...)})
			if r.OK != sc.ok || r.Value != sc.value {
				t.Fatalf("OK %v value %q, want %v %q (%+v)", r.OK, r.Value, sc.ok, sc.value, r)
			}
			if !strings.Contains(r.Error, sc.errHas) || (sc.errHas == "") != (r.Error == "") {
				t.Fatalf("error %q, want %q", r.Error, sc.errHas)
			}
			if sc.failHas != "" && !strings.Contains(strings.Join(r.Failed, "\n"), sc.failHas) {
				t.Fatalf("failed %q, want %q", r.Failed, sc.failHas)
			}
		})
	}
}

// dnsServer answers on loopback UDP: A and AAAA records from zone,
// NXDOMAIN for other names. It counts the queries it answered.
func dnsServer(t *testing.T, zone map[string][]string) (addr string, queries *atomic.Int64) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	queries = new(atomic.Int64)
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			queries.Add(1)
			addrs, known := zone[strings.ToLower(q.Name.String())]
			rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired}
			if !known {
				rh.RCode = dnsmessage.RCodeNameError
			}
			b := dnsmessage.NewBuilder(nil, rh)
			b.EnableCompression()
			b.StartQuestions()
			b.Question(q)
			b.StartAnswers()
			for _, a := range addrs {
				ip := net.ParseIP(a)
				rrh := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60}
				if v4 := ip.To4(); v4 != nil && q.Type == dnsmessage.TypeA {
					b.AResource(rrh, dnsmessage.AResource{A: [4]byte(v4)})
				} else if v4 == nil && q.Type == dnsmessage.TypeAAAA {
					b.AAAAResource(rrh, dnsmessage.AAAAResource{AAAA: [16]byte(ip.To16())})
				}
			}
			msg, err := b.Finish()
			if err != nil {
				continue
			}
			pc.WriteTo(msg, from)
		}
	}()
	return pc.LocalAddr().String(), queries
}

func TestProbeDNS(t *testing.T) {
	resolver, queries := dnsServer(t, map[string][]string{
		"www.lagrieta.test.": {"203.0.113.7", "2001:db8::7"},
		"old.lagrieta.test.": {"198.51.100.1"},
	})
	scenarios := []struct {
		name, target string
		expect       []string
		conds        []string
		ok           bool
		value        string
		errHas       string
		failHas      string
	}{
		{name: "expected", target: "www.lagrieta.test", expect: []string{"2001:db8:0::7", "203.0.113.7"}, ok: true, value: "2001:db8::7,203.0.113.7"},
		{name: "moved", target: "old.lagrieta.test", expect: []string{"203.0.113.7"}, value: "198.51.100.1", failHas: "answer == expected (got 198.51.100.1)"},
		{name: "literal", target: "old.lagrieta.test.", conds: []string{"answer == 198.51.100.1"}, ok: true, value: "198.51.100.1"},
		{name: "no such name", target: "nope.lagrieta.test", expect: []string{"203.0.113.7"}, errHas: "nope.lagrieta.test: no such name", failHas: "(got no addresses)"},
		{name: "no expectation: any answer", target: "old.lagrieta.test", ok: true, value: "198.51.100.1"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			m := Monitor{Name: "dns", Kind: DNS, Target: sc.target, Resolver: resolver, Expect: sc.expect, Conditions: MustParseConditions(sc.conds...), Timeout: 2 * time.Second}
			r := Probe(context.Background(), testNet, m)
			if r.OK != sc.ok || r.Value != sc.value {
				t.Fatalf("OK %v value %q, want %v %q (%+v)", r.OK, r.Value, sc.ok, sc.value, r)
			}
			if !strings.Contains(r.Error, sc.errHas) || (sc.errHas == "") != (r.Error == "") {
				t.Fatalf("error %q, want %q", r.Error, sc.errHas)
			}
			if sc.failHas != "" && !strings.Contains(strings.Join(r.Failed, "\n"), sc.failHas) {
				t.Fatalf("failed %q, want %q", r.Failed, sc.failHas)
			}
		})
	}
	if queries.Load() == 0 {
		t.Fatal("the loopback resolver was never asked")
	}
}

func TestProbeTCP(t *testing.T) {
	l, err := transporttest.OpenPort()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := Probe(context.Background(), testNet, Monitor{Name: "ssh", Kind: TCP, Target: l.Addr().String()})
	if !r.OK || !r.Connected || r.Value != "connected" {
		t.Fatalf("open port: %+v", r)
	}
	r = Probe(context.Background(), testNet, Monitor{Name: "ssh", Kind: TCP, Target: closedPort(t)})
	if r.OK || r.Connected || !strings.Contains(r.Error, "refused") || !slices.Equal(r.Failed, []string{"connected == true (got false)"}) {
		t.Fatalf("closed port: %+v", r)
	}
}

func TestProbeInvalidMonitor(t *testing.T) {
	r := Probe(context.Background(), testNet, Monitor{Name: "x", Kind: "icmp", Target: "a"})
	if r.OK || !strings.Contains(r.Error, `unknown kind "icmp"`) {
		t.Fatalf("%+v", r)
	}
}

// TestCheckConcurrent proves the probes overlap without timing them: the
// handler holds every request until n are in flight at once, so Check
// only returns if it runs n at a time; and never more than the bound.
func TestCheckConcurrent(t *testing.T) {
	const n = 8
	var inFlight, peak atomic.Int64
	var mu sync.Mutex
	var allIn sync.Once // the second batch reaches n in flight again
	all := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		mu.Lock()
		if cur > peak.Load() {
			peak.Store(cur)
		}
		mu.Unlock()
		if cur == n {
			allIn.Do(func() { close(all) })
		}
		select {
		case <-all:
		case <-r.Context().Done():
			return
		}
		fmt.Fprint(w, r.URL.Path)
	}))
	defer srv.Close()
	var ms []Monitor
	for i := range 2 * n {
		ms = append(ms, Monitor{Name: fmt.Sprint("m", i), Kind: HTTP, Target: fmt.Sprintf("%s/%d", srv.URL, i),
			Conditions: MustParseConditions(fmt.Sprintf("body contains \"/%d\"", i)), Timeout: 10 * time.Second})
	}
	rs := Check(context.Background(), testNet, ms, n)
	if len(rs) != len(ms) {
		t.Fatalf("%d results for %d monitors", len(rs), len(ms))
	}
	for i, r := range rs {
		if !r.OK || r.Monitor != ms[i].Name {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if p := peak.Load(); p != n {
		t.Fatalf("peak %d requests in flight, want exactly the bound %d", p, n)
	}
}
